package io.flywheel.people.web;

import io.flywheel.people.internal.ImportProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a console upload of the import wizard that is larger than an import may be back to the
 * wizard, with its size, before anything reads its body. Otherwise the first reader, the CSRF check
 * looking for its token among the form fields, makes the servlet container parse the multipart
 * body, which fails over the container's limit and ends in the container's bare error page. The
 * redirect changes nothing, so it needs no CSRF token; the wizard page checks access as usual.
 * Browsers always send the length of a form upload; without one the request goes on as before.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ImportUploadLimitFilter extends OncePerRequestFilter {

    /** Room for the form's other fields and the multipart framing around the file. */
    static final long FORM_OVERHEAD = 64 * 1024;
    private static final Pattern WIZARD = Pattern.compile("/p/(\\d{1,18})/people/imports");

    private final long limit;

    ImportUploadLimitFilter(ImportProperties properties) {
        this.limit = properties.maxFileSize().toBytes() + FORM_OVERHEAD;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return !"POST".equals(request.getMethod()) || type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")
                || request.getContentLengthLong() <= limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher wizard = WIZARD.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!wizard.matches()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.SEE_OTHER.value());
        response.setHeader("Location", request.getContextPath() + "/p/" + wizard.group(1) + "/people/imports?tooLarge="
                + request.getContentLengthLong());
    }
}
