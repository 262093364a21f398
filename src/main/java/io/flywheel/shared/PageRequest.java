package io.flywheel.shared;

/** Which page of a list to return; sizes are clamped to 1..500. */
public record PageRequest(int page, int size) {

    public static final int MAX_SIZE = 500;

    public PageRequest {
        page = Math.max(0, page);
        size = Math.min(MAX_SIZE, Math.max(1, size));
    }

    public static PageRequest of(Integer page, Integer size) {
        return new PageRequest(page == null ? 0 : page, size == null ? 50 : size);
    }

    public long offset() {
        return (long) page * size;
    }
}
