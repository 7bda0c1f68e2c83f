// Registers its GraphQL types on import (see src/schema.ts).
export {};
