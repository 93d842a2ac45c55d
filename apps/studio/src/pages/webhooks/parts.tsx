import type { WriteGate } from '../../app/access';
import { errorText } from '../../lib/errors';

/** Small pieces the integrations pages (webhooks, hooks, Telegram) share. */

/** The API's refusal or failure, as the error box every page shows. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-box" role="alert">
      {errorText(error)}
    </p>
  );
}

/** A row's button, named after what it acts on (`Disable https://…`) and gated by its route's scope. */
export function RowAction(props: {
  label: string;
  target: string;
  gate: WriteGate;
  busy: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="ghost"
      aria-label={`${props.label} ${props.target}`}
      {...props.gate.control(props.busy)}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}
