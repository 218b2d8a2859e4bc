"""The GraphiQL page served on GET /api/graphql."""

from __future__ import annotations

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Zaiko Command API</title>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL… (POST GraphQL requests to this URL work without it)</div>
  <script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
  <script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: "# Every command is a mutation; send X-API-Key when keys are set\\n"
          + "mutation {\\n  receiveStock(\\n"
          + "    input: {inventoryId: \\"PRD-000001@TKY-01\\", quantity: 24}\\n  ) {\\n"
          + "    commandId aggregateId version eventTypes consistencyToken\\n  }\\n}\\n",
      }),
    );
  </script>
</body>
</html>
"""
