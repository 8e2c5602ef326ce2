/**
 * The service's security: API keys with roles (hashes only, constant-time checks) and per-key rate limits.
 */
package io.upm.service.security;
