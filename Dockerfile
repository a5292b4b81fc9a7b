# Vouch: `npm start` runs `tsx src/main.ts` (tsx is a runtime dependency, so no build step).
# Migrations: run `npm run db:migrate` as a one-off (or rely on `npm start`, which applies them).

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
# Without DATABASE_URL the embedded database lives in .data: writable by the app's user (mount a
# volume there to keep it).
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["npm", "start"]
