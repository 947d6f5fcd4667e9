/**
 * The program's entry point: {@link org.stackledger.Main} hands the command line to the CLI. Features
 * live in their own packages ({@code registration}, {@code partnercenter}, {@code directory}, …),
 * shared plumbing in {@code http}, {@code arm}, {@code identity} and {@code store}, and the wiring of
 * them all in {@code app}. A feature refuses with a {@code problem.Problem}; only {@code http} turns
 * one into a status.
 */
package org.stackledger;
