import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Start-up stops with this: its message names every bad variable and why. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

// Values of these are never echoed back in an error message.
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL/i;
const MAX_ECHO = 80;

function describeValue(variable: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (SECRET_NAME.test(variable)) return `, got a value of ${value.length} characters (hidden)`;
  const shown = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return `, got ${JSON.stringify(shown).replace(/:\/\/([^/@\s]*)@/, '://***@')}`;
}

function readableMessage(issue: z.core.$ZodIssue, value: string | undefined): string {
  if (issue.code === 'custom') return issue.message;
  if (value === undefined) return issue.code === 'invalid_type' ? 'is required' : issue.message;
  return issue.message.replace(/^Invalid (input|option): /, '');
}

/**
 * Parses the environment with the app's config schema, once, at start-up. Empty variables count as
 * unset, so `FOO=` in a .env file falls back to the default like a missing FOO does.
 */
export function parseConfig<S extends z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>>(
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): ConfigIssue => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(config)';
    const key = issue.path[0];
    const value = typeof key === 'string' ? cleaned[key] : undefined;
    const echo = issue.path.length === 1 ? describeValue(variable, value) : '';
    return { variable, message: `${readableMessage(issue, value)}${echo}` };
  });
  throw new ConfigError(issues);
}
