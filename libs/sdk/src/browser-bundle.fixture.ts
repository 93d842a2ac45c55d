// Imported only by browser-bundle.spec.ts, to show that the bundle check notices a Node built-in.
import { randomUUID } from 'node:crypto';

export const id = (): string => randomUUID();
