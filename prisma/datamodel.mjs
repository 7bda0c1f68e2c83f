// Derives the PostgreSQL datamodel from the SQLite one: same models, other
// provider, its own client folder, and no second Pothos types file.
export function postgresDatamodel(sqliteDatamodel) {
  const withoutPothos = sqliteDatamodel.replace(/generator pothos \{[^}]*\}\n*/, '');
  return withoutPothos
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../src/generated/sqlite"', 'output       = "./postgresql"');
}
