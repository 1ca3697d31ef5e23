/**
 * The load test: {@link vn.hoso.load.PortalMixSimulation}, a Gatling simulation of the portal's mix against a running
 * stack, and the tokens it runs with ({@link vn.hoso.load.Tokens}, fetched before the run by {@code tokens.sh}). Not
 * part of the test run: it prints figures and asserts nothing (README, Load test (Gatling)).
 */
package vn.hoso.load;
