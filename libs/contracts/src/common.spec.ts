import { TimestampInput } from './common';

describe('TimestampInput', () => {
  it.each<[string | number, number]>([
    [0, 0],
    [1767571200000, 1767571200000],
    ['0', 0],
    ['5', 5],
    ['1767571200000', 1767571200000],
    ['2026-01-05', Date.UTC(2026, 0, 5)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2026-01-05T09:30Z', Date.UTC(2026, 0, 5, 9, 30)],
    ['2026-01-05T09:30:15Z', Date.UTC(2026, 0, 5, 9, 30, 15)],
    ['2026-01-05T09:30:15.250Z', Date.UTC(2026, 0, 5, 9, 30, 15, 250)],
    ['2026-01-05T09:30:15.250999Z', Date.UTC(2026, 0, 5, 9, 30, 15, 250)],
    ['2026-01-05T09:30:15', Date.UTC(2026, 0, 5, 9, 30, 15)],
    ['2026-01-05T09:30:15+02:00', Date.UTC(2026, 0, 5, 7, 30, 15)],
    ['2026-01-05T09:30:15-0130', Date.UTC(2026, 0, 5, 11, 0, 15)],
    ['2026-01-05t09:30:15z', Date.UTC(2026, 0, 5, 9, 30, 15)],
  ])('reads %j as %d', (input, ms) => {
    expect(TimestampInput.parse(input)).toBe(ms);
  });

  it.each<unknown>([
    '-5',
    '1.5',
    1.5,
    -5,
    '1e3',
    '0x10',
    '',
    'yesterday',
    'Mon, 05 Jan 2026 00:00:00 GMT',
    '2026-1-5',
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-01-05T24:00:00Z',
    '2026-01-05T09:60Z',
    '2026-01-05T09:30:15+25:00',
    '2026-01-05 09:30:15',
    '1969-12-31',
    Number.MAX_SAFE_INTEGER + 2,
    null,
  ])('refuses %j', (input) => {
    const r = TimestampInput.safeParse(input);
    expect(r.success).toBe(false);
  });

  it('names what it expects', () => {
    const r = TimestampInput.safeParse('-5');
    expect(r.error?.issues[0]?.message).toMatch(/^expected Unix milliseconds .* ISO-8601 .*, got "-5"$/);
  });
});
