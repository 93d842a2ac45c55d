# One image recipe for every app, chosen by a build argument (compose passes it per service):
#   docker build --build-arg APP=provider --build-arg PORT=8080 -t barfinex-provider .
# APP is any folder under apps/ with a src/main.ts (provider, detector, advisor, inspector, notifier).

# Build stage: install the workspace, bundle the app with its workspace libs.
FROM node:20-bookworm-slim AS build
ARG APP
RUN test -n "$APP" || { echo 'build with --build-arg APP=<an app under apps/>' >&2; exit 1; }
WORKDIR /repo
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
COPY tsconfig.base.json nx.json jest.preset.cjs ./
RUN npm ci --no-audit --no-fund && node tools/build-app.mjs "$APP"
# Studio, the browser app the provider serves at / and /studio: built into the provider's image
# only, and only when apps/studio is there; every other image gets an empty folder for it.
RUN mkdir -p /repo/studio-dist \
  && if [ "$APP" = provider ] && [ -f apps/studio/package.json ]; then \
       cd apps/studio && npx vite build --logLevel warn --outDir /repo/studio-dist --emptyOutDir; \
     fi

# Runtime stage: production dependencies only, non-root. Migrations are embedded in the bundle
# and applied at start (with an advisory lock), before the port opens.
FROM node:20-bookworm-slim AS runtime
ARG APP
ARG PORT=8080
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /repo/package.json /repo/package-lock.json ./
COPY --from=build /repo/apps ./apps
COPY --from=build /repo/libs ./libs
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && rm -rf libs/*/src apps/*/src apps/*/dist
COPY --from=build /repo/libs/db/src/generated ./libs/db/src/generated
COPY --from=build /repo/apps/${APP}/dist ./dist
# Where the provider looks for Studio from its working directory (apps/provider/src/http/studio.ts).
COPY --from=build /repo/studio-dist ./apps/studio/dist
USER node
EXPOSE ${PORT}
# A 32 MB young generation: the order and market-data paths allocate many short-lived objects,
# and the default 16 MB promotes too many of them into costly old-generation collections.
CMD ["node", "--max-semi-space-size=32", "dist/main.js"]
