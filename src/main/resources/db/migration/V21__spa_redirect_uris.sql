-- Issue 15: single-page applications (Graph's spa.redirectUris), as MSAL's browser library signs in.
--
-- A redirect URI is registered for one platform: 'web' (a confidential client that redeems its code
-- from its server with a secret) or 'spa' (a public client in a browser that redeems its code with
-- PKCE, cross-origin). A refresh token remembers whether it went to a browser: such a token is
-- redeemed cross-origin only, and lives 24 hours from the sign-in, as Entra's do.
ALTER TABLE application_redirect_uris ADD COLUMN platform VARCHAR(8) DEFAULT 'web' NOT NULL;
ALTER TABLE refresh_tokens ADD COLUMN spa BOOLEAN DEFAULT FALSE NOT NULL;
