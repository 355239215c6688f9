// OAuth2Auth lands here (owned by the OAuth2 work); placeholder so the barrel can re-export it.
export {};
