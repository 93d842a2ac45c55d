import type { ReactNode } from 'react';

/** A form's last lines: the refusal that names no field, then its submit button and any other buttons. */
export function FormFooter({
  general,
  submit,
  pending,
  children,
}: {
  general: string | null;
  submit: string;
  pending: boolean;
  children?: ReactNode;
}) {
  return (
    <>
      {general ? (
        <p className="field-error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          {submit}
        </button>
        {children}
      </div>
    </>
  );
}
