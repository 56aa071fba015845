# One image for the API, the worker and the migrate step (docker-compose.yml
# picks the command). Build: docker build -t zz-admissions .
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# Prisma client and web client, then drop build-only packages (vite, vue-tsc...).
RUN node_modules/.bin/prisma generate \
 && npm run build:client \
 && npm prune --omit=dev --no-audit --no-fund

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CLIENT_DIST=dist/client
USER node
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# tsx directly (not npx) so that SIGTERM reaches the server and it drains.
CMD ["node_modules/.bin/tsx", "server/main.ts"]
