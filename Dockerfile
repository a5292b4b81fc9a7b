# Vouch: compiled once in the build stage; the image runs the Procfile's web command (the compiled
# bot with its heap bounded, see the README's Operations) and `node dist/db/migrate.js`
# (`npm run db:migrate`) as a one-off, though the bot also applies pending migrations at start.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
# Without DATABASE_URL the embedded database lives in .data: writable by the app's user (mount a
# volume there to keep it).
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["node", "--max-old-space-size=100", "--max-semi-space-size=16", "dist/main.js"]
