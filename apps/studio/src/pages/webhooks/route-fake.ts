// For component tests of the integrations pages: an SDK client whose `request` answers the route
// definitions of one area from the test's own state, records every call, and fails on demand.

export interface RouteCall<Route> {
  route: Route;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
}

export function fakeRoutes<Routes extends Record<string, { path: string }>>(
  routes: Routes,
  answer: (name: keyof Routes, input: Omit<RouteCall<Routes[keyof Routes]>, 'route'>) => unknown,
) {
  type Route = Routes[keyof Routes];
  const calls: RouteCall<Route>[] = [];
  let fail: Partial<Record<keyof Routes, Error>> = {};
  const request = jest.fn(async (route: Route, input: Omit<RouteCall<Route>, 'route'> = {}) => {
    calls.push({ route, ...input });
    const name = (Object.keys(routes) as (keyof Routes)[]).find((k) => routes[k] === route);
    if (name === undefined) throw new Error(`unexpected ${route.path}`);
    const failure = fail[name];
    if (failure) throw failure;
    return answer(name, input);
  });
  return {
    client: { request },
    /** The next calls of these routes throw these errors (as the SDK raises the API's refusals). */
    failNext: (f: Partial<Record<keyof Routes, Error>>) => (fail = f),
    callsOf: (route: Route) => calls.filter((c) => c.route === route),
  };
}
