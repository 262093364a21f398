package io.flywheel.collect.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking API on the main port: a servlet filter that answers every {@code /v1/} request
 * itself ({@link TrackingCalls}), ahead of every other filter and of Spring MVC: at tens of
 * thousands of requests a second, the security filter chain, handler lookup and message converters
 * cost several times what the tracking work does. The request's thread waits for the answer.
 */
final class TrackingEndpoint implements Filter {

    static final String PREFIX = TrackingCalls.PREFIX;
    private static final Logger log = LoggerFactory.getLogger(TrackingEndpoint.class);

    private final TrackingCalls calls;

    TrackingEndpoint(TrackingCalls calls) {
        this.calls = calls;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(PREFIX)) {
            chain.doFilter(request, response);
            return;
        }
        TrackingAnswer answer;
        try {
            answer = calls.answer(new ServletTrackingRequest(request), path, Runnable::run).join();
        }
        catch (RuntimeException e) {
            log.error("Tracking request to {} failed", path, e);
            answer = TrackingCalls.internalError(path);
        }
        TrackingCalls.headers(request.getHeader("Origin"), answer).forEach(response::setHeader);
        response.setStatus(answer.status());
        byte[] body = calls.body(answer);
        if (body.length > 0) {
            response.setContentType(answer.contentType());
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private record ServletTrackingRequest(HttpServletRequest request) implements TrackingCalls.TrackingRequest {

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }
    }
}
