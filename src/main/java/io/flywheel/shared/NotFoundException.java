package io.flywheel.shared;

/** The thing asked for does not exist, or the caller may not know that it does. Maps to 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String detail) {
        super(detail);
    }
}
