import { MarketType } from './index';
it('has spot', () => expect(MarketType.spot).toBe('spot'));
