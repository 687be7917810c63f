import type { Handler } from "hono";
import type { AppBindings } from "../../app-types";
import { SERVICE_NAME } from "../health";

/** Where scripts/build-docs-assets.mjs puts the pinned swagger-ui-dist files (static assets). */
const VENDOR = "/vendor/swagger-ui";

/**
 * The API docs page: Swagger UI from the pinned npm package, served from our own origin as static
 * assets, and started by an external script (init.js reads the document URL from `data-url`), so
 * the Content-Security-Policy can forbid inline and third-party scripts.
 */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${SERVICE_NAME} docs</title>
<link rel="icon" type="image/png" href="${VENDOR}/favicon-32x32.png">
<link rel="stylesheet" href="${VENDOR}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-url="/openapi.json"></div>
<script src="${VENDOR}/swagger-ui-bundle.js"></script>
<script src="${VENDOR}/init.js"></script>
</body>
</html>
`;

export const docsPage: Handler<AppBindings> = (c) => c.html(DOCS_PAGE);
