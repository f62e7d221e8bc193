/** Build-time constants from config/index.ts `defineConstants`. */
declare const CLOUD_ENV: string;
declare const API_BASE: string;
