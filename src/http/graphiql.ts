import type { GraphiQLOptions } from 'graphql-yoga';

/** What GraphiQL's Headers tab holds when the server knows no key to offer. */
export const PLACEHOLDER_KEY = '<replace with your API key>';

/**
 * GraphiQL's settings. With a key (the demo's DELIVERY key), the Headers tab
 * starts with it, so the schema loads at once: docs and autocomplete work,
 * and the first query answers. Without one it holds a placeholder that
 * plainly asks to be replaced.
 */
export function graphiqlOptions(key: string | undefined): GraphiQLOptions {
  return {
    title: 'Content-planning API',
    headers: JSON.stringify({ Authorization: `Bearer ${key ?? PLACEHOLDER_KEY}` }, null, 2),
    defaultQuery: `${key ? WITH_KEY : WITHOUT_KEY}\nquery Viewer {\n  viewer {\n    role\n    workspace {\n      name\n    }\n  }\n}\n`,
  };
}

/**
 * The GraphiQL page with its scripts, styles and editor workers inlined from
 * the @graphql-yoga/render-graphiql package: Yoga's default page loads them
 * from a public CDN, and stays blank offline or behind a proxy that blocks
 * it. The page is large (about 9 MB), so the package is loaded and the page
 * rendered on the first request only; the options never change.
 */
export function graphiqlRenderer(): (options: GraphiQLOptions) => Promise<string> {
  let page: Promise<string> | undefined;
  return (options) => (page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options)));
}

const WITH_KEY = [
  '# The Headers tab holds a DELIVERY key: it reads what a',
  '# public website may see. Drafts, the matrix and the',
  '# calendar need an EDITOR or ADMIN key (the console',
  '# prints the demo keys). Run with ▶ or Ctrl-Enter.',
  '',
].join('\n');

const WITHOUT_KEY = [
  '# Put your API key in the Headers tab first, in place',
  '# of the placeholder. Run with ▶ or Ctrl-Enter.',
  '',
].join('\n');
