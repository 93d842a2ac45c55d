import { parseCli } from './args';

describe('parseCli', () => {
  it('takes a token that begins with a dash, or two, as the value of --token', () => {
    for (const token of ['-abc_123', '--Zx9', 'plain-token']) {
      expect(parseCli(['replay', 'status', '--token', token, '--url', 'http://127.0.0.1:1'], {}).token).toBe(token);
      expect(parseCli(['replay', 'status', `--token=${token}`], {}).token).toBe(token);
    }
  });
});
