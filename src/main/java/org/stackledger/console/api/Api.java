package org.stackledger.console.api;

/** The endpoint roles the console calls, each with its base URL (ending in {@code /}) and token audience. */
public record Api(String name, String baseUrl, String audience) {}
