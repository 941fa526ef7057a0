import { Link } from '../components/link.js';

/** What a page says to a role the API would refuse (the API answers 403 anyway). */
export function Forbidden({ what }: { what: string }) {
  return (
    <main id="main" className="page">
      <h1>Not available</h1>
      <p>{what} are for administrators and the security team; your role cannot open them.</p>
      <Link to={{ page: 'portfolio' }}>Back to the portfolio</Link>
    </main>
  );
}
