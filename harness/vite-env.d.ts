/** Vite's client types for the page: `import.meta.glob`, `?url` imports, `import.meta.env`. */
/// <reference types="vite/client" />
