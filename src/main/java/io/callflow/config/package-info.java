/** Start-up configuration: one validated {@link io.callflow.config.AppConfig} record from JSON plus CALLFLOW_* overrides. */
package io.callflow.config;
