// Routes come from the file names in app/routes (Remix flat routes), declared through the v3 route config.
import type { RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

export default flatRoutes() satisfies RouteConfig;
