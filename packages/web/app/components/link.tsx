import type { MouseEvent, ReactNode } from 'react';
import { useSession } from '../hooks.js';
import { routePath, type Route } from '../lib/route.js';

/** An in-app link: a real href (open in new tab works), client-side navigation on a plain click. */
export function Link({ to, children, className }: { to: Route; children: ReactNode; className?: string }) {
  const { navigate } = useSession();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={routePath(to)} onClick={onClick} className={className}>
      {children}
    </a>
  );
}
