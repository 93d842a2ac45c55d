import { HelpRequested, parseCli, UsageError } from './args';

describe('parseCli', () => {
  it('takes a token that begins with a dash, or two, as the value of --token', () => {
    for (const token of ['-abc_123', '--Zx9', 'plain-token']) {
      expect(parseCli(['replay', 'status', '--token', token, '--url', 'http://127.0.0.1:1'], {}).token).toBe(token);
      expect(parseCli(['replay', 'status', `--token=${token}`], {}).token).toBe(token);
    }
  });

  it('asks for help on --help or -h, with or without a command and before looking for a token', () => {
    for (const argv of [['--help'], ['-h'], ['replay', 'start', '--help']])
      expect(() => parseCli(argv, {}, '/nonexistent')).toThrow(HelpRequested);
  });

  it('treats no command as a usage error, not as help', () => {
    expect(() => parseCli([], {}, '/nonexistent')).toThrow(UsageError);
    expect(() => parseCli([], {}, '/nonexistent')).not.toThrow(HelpRequested);
  });
});
