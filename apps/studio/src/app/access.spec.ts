import { providerRoutes } from '@barfinex/contracts';
import { writeGate } from './access';

describe('writeGate', () => {
  it('disables a control whose route needs a scope the token lacks, naming the scope', () => {
    const gate = writeGate(['read'], providerRoutes.closeOrder);
    expect(gate.allowed).toBe(false);
    expect(gate.control()).toEqual({ disabled: true, title: 'needs a token with the "trade" scope' });
  });

  it('enables it for the scope itself and for admin, and still disables it while busy', () => {
    expect(writeGate(['read', 'trade'], providerRoutes.closeOrder).control()).toEqual({ disabled: false });
    expect(writeGate(['admin'], 'configure').control()).toEqual({ disabled: false });
    expect(writeGate(['trade'], 'trade').control(true)).toEqual({ disabled: true });
  });

  it('keeps the control disabled until the token is known', () => {
    const gate = writeGate(undefined, 'read');
    expect(gate.allowed).toBe(false);
    expect(gate.control().title).toMatch(/checking/);
  });
});

describe('writeGate with implied scopes', () => {
  it('lets trade stop trading (killswitch) but not killswitch trade', () => {
    expect(writeGate(['read', 'trade'], 'killswitch').allowed).toBe(true);
    expect(writeGate(['killswitch'], 'trade').allowed).toBe(false);
  });
});
