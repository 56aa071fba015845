# Sourced by start.sh and test.sh: make a fresh clone runnable.
# Installs node_modules when missing and (re)generates the Prisma client when it
# is missing or older than the schema. Runs from the repository root.

if [ ! -d node_modules ]; then
  echo "Installing dependencies (npm ci)..."
  npm ci --no-audit --no-fund
fi

client=server/generated/prisma/client.ts
if [ ! -f "$client" ] || [ prisma/schema.prisma -nt "$client" ]; then
  echo "Generating the Prisma client..."
  node_modules/.bin/prisma generate
fi
