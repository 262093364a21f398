package io.flywheel.platform.web;

import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of a REST controller into RFC 9457 problem details with a stable {@code type},
 * a human {@code detail} and, for validation, the fields at fault.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiProblemHandler extends ResponseEntityExceptionHandler {

    public static final String TYPE_PREFIX = "urn:flywheel:problem:";
    private static final Logger log = LoggerFactory.getLogger(ApiProblemHandler.class);

    public static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException exception) {
        return problem(HttpStatus.NOT_FOUND, "not-found", exception.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException exception) {
        return problem(HttpStatus.CONFLICT, "conflict", exception.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException exception) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", exception.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", exception.field(), "detail", exception.getMessage())));
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException exception) {
        String detail = exception.getName() + " has an invalid value";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", List.of(Map.of("field", exception.getName(), "detail", detail)));
        return problem;
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException exception) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", exception.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception exception) {
        log.error("Unexpected error in the API", exception);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "an internal error occurred; it has been logged");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = exception.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "detail", String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = errors.isEmpty() ? "the request is invalid"
                : errors.stream().map(error -> error.get("field") + " " + error.get("detail")).reduce((a, b) -> a + "; " + b).orElseThrow();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "request parameters are invalid");
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-request",
                "the request body is not valid JSON of the expected shape"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception exception, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType().toString().equals("about:blank")) {
            String slug = HttpStatus.resolve(statusCode.value()) == null ? "error"
                    : HttpStatus.resolve(statusCode.value()).name().toLowerCase().replace('_', '-');
            problem.setType(URI.create(TYPE_PREFIX + slug));
        }
        return super.handleExceptionInternal(exception, body, headers, statusCode, request);
    }
}
