import type Decimal from 'decimal.js';
import { Money } from '@barfinex/contracts';
import {
  Dec,
  addDec,
  cmp,
  isPositive,
  maxDec,
  minDec,
  money8,
  money8Up,
  onGrid,
  parseDecimal,
  powerOfTenPlaces,
  str,
  subDec,
  ZERO,
} from './decimal';

// The engine's exact decimal follows the platform's money policy (libs/contracts money.ts): every
// operation must give what decimal.js under that policy gives.
const Ref = Money;
const MODES = [Ref.ROUND_UP, Ref.ROUND_DOWN, Ref.ROUND_CEIL, Ref.ROUND_FLOOR, Ref.ROUND_HALF_UP] as const;

// Values across signs, zeros, exponents, trailing zeros and magnitudes.
const VALUES = [
  '0',
  '-0',
  '1',
  '-1',
  '0.1',
  '-0.1',
  '0.00000001',
  '10000000',
  '9999999',
  '10000001',
  '60000.5',
  '60000.50000001',
  '-60000.5',
  '123456789012345678.123456789',
  '1e-30',
  '-1e+30',
  '0.3',
  '0.29999999999999999999',
  '2.50',
  '-2.5',
  '0.005',
  '1.000',
  '.5',
  '7.',
];

function seeded(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
}

/** Random decimal text: up to 15 digits, 0–12 decimals, either sign (prices, sizes, fees, PnL). */
function randomValues(n: number, seed: number): string[] {
  const next = seeded(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const digits = String(next() % 1_000_000) + String(next() % 1_000_000_000).padStart(9, '0');
    const trimmed = digits.slice(0, 1 + (next() % 15)).replace(/^0+(?=\d)/, '');
    const places = next() % 13;
    const padded = trimmed.padStart(places + 1, '0');
    const text =
      places === 0 ? padded : `${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
    out.push(next() % 4 === 0 ? `-${text}` : text);
  }
  return out;
}

const same = (ours: Dec, ref: Decimal) => [ours.toFixed(), ref.toFixed()];

describe('Dec against decimal.js under the money policy (precision 40, ROUND_HALF_UP)', () => {
  const values = [...VALUES, ...randomValues(90, 7)];

  it('parses and prints every value the same way', () => {
    for (const v of values) {
      const [ours, ref] = same(new Dec(v), new Ref(v));
      expect([v, ours]).toEqual([v, ref]);
      // No negative zero here: -0 reads as 0.
      expect([v, new Dec(v).toNumber()]).toEqual([v, new Ref(v).toNumber() + 0]);
      expect([v, new Dec(v).decimalPlaces(), new Dec(v).isInteger(), new Dec(v).isZero()]).toEqual([
        v,
        new Ref(v).decimalPlaces(),
        new Ref(v).isInteger(),
        new Ref(v).isZero(),
      ]);
    }
    expect(new Dec(0.1).toFixed()).toBe('0.1');
    expect(new Dec(1e-7).toFixed()).toBe('0.0000001');
    expect(() => new Dec('abc')).toThrow();
    expect(() => new Dec(Number.NaN)).toThrow();
  });

  it('adds, subtracts, multiplies, divides, compares and takes remainders alike on every pair', () => {
    for (const a of values) {
      for (const b of values) {
        const x = new Dec(a);
        const y = new Dec(b);
        const rx = new Ref(a);
        const ry = new Ref(b);
        const label = `${a} ? ${b}`;
        expect([label, x.plus(y).toFixed(), x.minus(y).toFixed(), x.mul(y).toFixed(), x.cmp(y)]).toEqual([
          label,
          rx.plus(ry).toFixed(),
          rx.minus(ry).toFixed(),
          rx.mul(ry).toFixed(),
          rx.comparedTo(ry),
        ]);
        if (!ry.isZero()) {
          expect([label, x.div(y).toFixed(), x.mod(y).toFixed()]).toEqual([
            label,
            rx.div(ry).toFixed(),
            rx.mod(ry).toFixed(),
          ]);
        }
      }
    }
  });

  it('rounds alike in every mode (decimal places, integers, nearest step)', () => {
    const steps = ['0.01', '0.5', '0.00001', '1', '25', '0.0003'];
    for (const v of values) {
      const x = new Dec(v);
      const r = new Ref(v);
      expect([
        v,
        x.floor().toFixed(),
        x.ceil().toFixed(),
        x.round().toFixed(),
        x.neg().toFixed(),
        x.abs().toFixed(),
      ]).toEqual([
        v,
        r.floor().toFixed(),
        r.ceil().toFixed(),
        r.round().toFixed(),
        r.neg().toFixed(),
        r.abs().toFixed(),
      ]);
      for (const places of [0, 1, 2, 3, 8, 12]) {
        expect([v, places, x.toFixed(places)]).toEqual([v, places, r.toFixed(places)]);
        for (const mode of MODES) {
          expect([v, places, mode, x.toDecimalPlaces(places, mode).toFixed()]).toEqual([
            v,
            places,
            mode,
            r.toDecimalPlaces(places, mode).toFixed(),
          ]);
        }
      }
      for (const step of steps) {
        for (const mode of MODES) {
          expect([v, step, mode, x.toNearest(step, mode).toFixed()]).toEqual([
            v,
            step,
            mode,
            r.toNearest(step, mode).toFixed(),
          ]);
        }
      }
    }
  });

  it('stays equal through long chains of the engine’s operations (averages, margins, PnL)', () => {
    const next = seeded(99);
    const pool = randomValues(400, 11).filter((v) => !new Ref(v).isZero());
    const pick = () => pool[next() % pool.length] as string;
    for (let chain = 0; chain < 200; chain++) {
      let x = new Dec(pick());
      let r = new Ref(x.toFixed());
      for (let step = 0; step < 12; step++) {
        const b = pick();
        switch (next() % 5) {
          case 0:
            x = x.plus(b);
            r = r.plus(b);
            break;
          case 1:
            x = x.minus(b);
            r = r.minus(b);
            break;
          case 2:
            x = x.mul(b);
            r = r.mul(b);
            break;
          case 3:
            x = x.div(b);
            r = r.div(b);
            break;
          default:
            x = x.toDecimalPlaces(8, Dec.ROUND_UP);
            r = r.toDecimalPlaces(8, Ref.ROUND_UP);
        }
        expect([chain, step, x.toFixed()]).toEqual([chain, step, r.toFixed()]);
      }
    }
  });

  it('divides to 40 significant digits, half away from zero', () => {
    expect(new Dec(1).div(3).toFixed()).toBe('0.3333333333333333333333333333333333333333');
    expect(new Dec(-2).div(3).toFixed()).toBe('-0.6666666666666666666666666666666666666667');
    expect(new Dec('60000.12').div('0.01').toFixed()).toBe('6000012');
    expect(() => new Dec(1).div(0)).toThrow(RangeError);
  });
});

describe('engine helpers', () => {
  it('cmp, minDec, maxDec and isPositive', () => {
    expect(cmp(new Dec('0.1'), new Dec('0.10'))).toBe(0);
    expect(minDec(new Dec('0.1'), new Dec('0.09')).toFixed()).toBe('0.09');
    expect(maxDec(new Dec('-2'), new Dec('-3')).toFixed()).toBe('-2');
    expect([
      isPositive(new Dec('0')),
      isPositive(new Dec('-0')),
      isPositive(new Dec('-1')),
      isPositive(new Dec('0.00000001')),
    ]).toEqual([false, false, false, true]);
  });

  it('addDec and subDec skip the shared ZERO and otherwise add exactly', () => {
    const a = new Dec('1.5');
    expect(addDec(ZERO, a)).toBe(a);
    expect(addDec(a, ZERO)).toBe(a);
    expect(subDec(a, ZERO)).toBe(a);
    expect(addDec(a, new Dec('0.25')).toFixed()).toBe('1.75');
    expect(subDec(ZERO, a).toFixed()).toBe('-1.5');
    expect(str(ZERO)).toBe('0');
  });

  it('grid checks, money rounding and parsing', () => {
    expect(powerOfTenPlaces(new Dec('0.01'))).toBe(2);
    expect(powerOfTenPlaces(new Dec('1'))).toBe(0);
    expect(powerOfTenPlaces(new Dec('0.05'))).toBeNull();
    expect(onGrid(new Dec('1.230'), new Dec('0.01'), 2)).toBe(true);
    expect(onGrid(new Dec('1.235'), new Dec('0.01'), 2)).toBe(false);
    expect(onGrid(new Dec('0.15'), new Dec('0.05'), null)).toBe(true);
    expect(money8Up(new Dec('0.000000001')).toFixed()).toBe('0.00000001');
    expect(money8(new Dec('0.000000005')).toFixed()).toBe('0.00000001');
    expect(parseDecimal('1e5')).toBeUndefined();
    for (const bad of ['', ' ', '.', '+', '-', '1.2.3', '1,5', '0x10', 'NaN', '1 2', '9'.repeat(81)])
      expect([bad, parseDecimal(bad)]).toEqual([bad, undefined]);
    expect(parseDecimal('-0.50')?.toFixed()).toBe('-0.5');
    expect(parseDecimal('+.5')?.toFixed()).toBe('0.5');
    expect(parseDecimal('7.')?.toFixed()).toBe('7');
    expect(parseDecimal(' 2.50 ')?.toFixed()).toBe('2.5');
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
    // Canonical input keeps its text; any other plain form prints canonically.
    for (const v of [
      ...randomValues(200, 3),
      '0',
      '10',
      '0.5',
      '00.5',
      '1.50',
      '+1.5',
      ' 1.5',
      '1.5 ',
      '-0',
      '-0.0',
      '100.001',
      '.25',
      '5.',
    ]) {
      expect([v, parseDecimal(v)?.toFixed()]).toEqual([v, new Ref(v.trim()).toFixed()]);
    }
    // Long mantissas take the general path and still parse exactly.
    expect(parseDecimal('1234567890.1234567890123')?.toFixed()).toBe('1234567890.1234567890123');
    expect(parseDecimal('-0.000')?.toFixed()).toBe('0');
  });
});
