import { Writable } from 'node:stream';
import { createLogger } from './logger/logger';

/** A logger writing JSON lines into memory, for assertions on what was logged. */
export function memoryLogger(name = 'test') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ name, level: 'debug', destination });
  const records = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}
