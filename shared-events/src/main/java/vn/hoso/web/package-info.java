/**
 * The web layer both sides share: the first filter of every request ({@link vn.hoso.web.InboundRequests}: body
 * limit, lenient {@code Accept}, the caller's language), Tomcat's own refusals as problem documents, and the
 * resource-server security with the caller read from its token ({@link vn.hoso.web.CallerAuthentication}). Spring,
 * Spring Security and Tomcat are provided by the side that uses it. Each side's problem advice
 * ({@code Problems}, {@code QueryProblems}) tells every refusal.
 */
package vn.hoso.web;
