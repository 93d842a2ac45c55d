import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

/** The links and buttons of a panel a user can move to; hidden ones (e.g. on a narrow window) are skipped. */
function items(panel: HTMLElement | null): HTMLElement[] {
  if (!panel) return [];
  return Array.from(panel.querySelectorAll<HTMLElement>('a[href], button:not(:disabled)')).filter(
    // jsdom has no layout (and no checkVisibility): there every entry counts.
    (el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : true),
  );
}

/**
 * A disclosure menu (WAI-ARIA APG, "Disclosure Navigation Menu"): a button that shows a panel of
 * links or buttons. Enter, Space or ↓ opens it (↓ also moves to the first entry), ↑/↓/Home/End move
 * between entries, Escape closes it and returns to the button; leaving it (Tab, a click elsewhere,
 * choosing an entry) closes it. Not `role="menu"`: its entries are ordinary links and buttons.
 */
export function Menu({
  id,
  label,
  ariaLabel,
  title,
  current = false,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  /** The button's accessible name when its label alone would not say what it opens. */
  ariaLabel?: string;
  title?: string;
  /** The page shown is one of its entries. */
  current?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const focusFirst = useRef(false);

  useEffect(() => {
    if (!open) return;
    if (focusFirst.current) items(panel.current)[0]?.focus();
    focusFirst.current = false;
    const away = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    if (!open) {
      if (e.target !== button.current || e.key !== 'ArrowDown') return;
      e.preventDefault();
      focusFirst.current = true;
      setOpen(true);
      return;
    }
    const list = items(panel.current);
    if (list.length === 0) return;
    e.preventDefault();
    e.stopPropagation();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? list.length - 1
          : e.key === 'ArrowDown'
            ? (at + 1) % list.length
            : (at - 1 + list.length) % list.length;
    list[next]?.focus();
  };

  return (
    <div
      ref={root}
      className={`menu${className ? ` ${className}` : ''}`}
      data-open={open}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (open && e.relatedTarget && !root.current?.contains(e.relatedTarget as Node)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className={`menu-button ghost${current ? ' current' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        aria-label={ariaLabel}
        title={title}
        onClick={() => setOpen((o) => !o)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div
        ref={panel}
        id={id}
        className="menu-panel"
        onClick={(e) => {
          // Choosing an entry closes the menu (a link navigates, a button acts).
          if ((e.target as HTMLElement).closest('a[href], button')) setOpen(false);
        }}
      >
        {children}
      </div>
    </div>
  );
}
