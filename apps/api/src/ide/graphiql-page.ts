/**
 * The GraphiQL page. Every script and stylesheet is a local path under /graphiql/assets/, so the IDE
 * works offline; `apollo-require-preflight` satisfies Apollo's CSRF prevention.
 */
export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Caredesk GraphQL</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script>
    const fetcher = GraphiQL.createFetcher({
      url: ${JSON.stringify(endpoint)},
      headers: { 'apollo-require-preflight': 'true' },
    });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultEditorToolsVisibility: true,
        defaultHeaders: JSON.stringify({ Authorization: 'Bearer <accessToken from login>' }, null, 2),
        defaultQuery: '# Log in, then paste the accessToken into the Authorization header below.\\n' +
          'mutation { login(input: { email: "demo@caredesk.local", password: "…" }) { accessToken } }\\n',
      }),
    );
  </script>
</body>
</html>
`;
}

export const IDE_MISSING_TEXT =
  'The GraphQL IDE is not installed: graphiql, react and react-dom are devDependencies. ' +
  'Run `npm install` (with dev dependencies) to use it, or send queries to POST /graphql.\n';
