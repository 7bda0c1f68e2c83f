export function postgresDatamodel(sqliteDatamodel: string): string;
