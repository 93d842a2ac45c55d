import { fireEvent, screen, within } from '@testing-library/react';
import { Header } from './Header';
import { navItems, pages } from './pages';
import { renderSignedIn } from '../testing/session';

describe('navItems', () => {
  it('gives the everyday pages links of their own and groups the rest in menus, in registry order', () => {
    const items = navItems();
    expect(items.map((i) => (i.kind === 'link' ? i.page.title : `${i.title}: ${i.pages.map((p) => p.title)}`))).toEqual(
      [
        'Overview',
        'Market',
        'Strategies',
        'Lineage',
        'Backtests',
        'Optimize',
        'Events',
        'Integrations: Hooks,Webhooks,Telegram',
        'Admin: Access,Audit',
      ],
    );
    // Every page in the bar is reachable from it exactly once.
    const reachable = items.flatMap((i) => (i.kind === 'link' ? [i.page] : i.pages));
    expect(reachable).toEqual(pages.filter((p) => p.nav));
  });
});

describe('Header', () => {
  const menuButton = (name: string) => screen.getByRole('button', { name });

  it('opens a menu from the keyboard, moves through its pages and closes with Escape', () => {
    renderSignedIn(<Header />, { scopes: ['admin'] });
    const button = menuButton('Integrations');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.focus();
    fireEvent.keyDown(button, { key: 'ArrowDown' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const panel = document.getElementById(button.getAttribute('aria-controls') ?? '') as HTMLElement;
    const links = within(panel).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Hooks', 'Webhooks', 'Telegram']);
    expect(document.activeElement).toBe(links[0]);
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(links[1]);
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(links[2]);
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
  });

  it('closes a menu when focus leaves it or a page is chosen', () => {
    renderSignedIn(<Header />, { scopes: ['admin'] });
    const admin = menuButton('Admin');
    fireEvent.click(admin);
    expect(admin.getAttribute('aria-expanded')).toBe('true');
    fireEvent.blur(admin, { relatedTarget: screen.getByRole('link', { name: 'Overview' }) });
    expect(admin.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(admin);
    fireEvent.click(screen.getByRole('link', { name: 'Audit' }));
    expect(admin.getAttribute('aria-expanded')).toBe('false');
    expect(window.location.pathname).toBe('/studio/audit');
    expect(admin.className).toContain('current');
    expect(screen.getByRole('link', { name: 'Audit' }).getAttribute('aria-current')).toBe('page');
  });

  it('marks a token without any write scope as read-only and lists its scopes', () => {
    renderSignedIn(<Header />, { scopes: ['read'] });
    expect(screen.getByTestId('read-only').textContent).toBe('read-only');
    expect(screen.getByTestId('session-scopes').textContent).toContain('read');
  });

  it.each([[['read', 'trade']], [['read', 'killswitch']], [['configure']]] as const)(
    'does not mark a token holding %j read-only',
    (scopes) => {
      renderSignedIn(<Header />, { scopes: [...scopes] });
      expect(screen.queryByTestId('read-only')).toBeNull();
    },
  );
});
