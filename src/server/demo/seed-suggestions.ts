import type { Services } from '../action';

// Filled in later with demo suggestions; kept a no-op so seedDemo can import it now.
export async function seedDemoSuggestions(_services: Services): Promise<void> {}
