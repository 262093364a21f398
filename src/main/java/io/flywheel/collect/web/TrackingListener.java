package io.flywheel.collect.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;

/**
 * The tracking API on a port of its own ({@code flywheel.collect.listener.port}): the same calls,
 * checks and answers as {@code /v1/} on the main port ({@link TrackingCalls}), served by a Netty
 * event loop. No thread waits for the log: a request is parsed and handed to the log on the loop,
 * and its answer is written when the log writer completes the group it is in. On this 2-core
 * machine the servlet container alone tops out below the single-event target even when it does no
 * work at all (docs/benchmarks.md); this listener does not have its per-request cost.
 *
 * <p>Nothing blocks the loop: a write key not resolved before is looked up in the database on a
 * small pool of its own ({@code tracking-keys}; a full queue answers 503).
 *
 * <p>Only the tracking API is served here: any other path is a 404 problem. Answers on a
 * connection go out in the order of its requests, also when a client pipelines them.
 */
final class TrackingListener implements SmartLifecycle {

    /** Bodies larger than this are refused before they are read whole; the calls check their own limits. */
    static final int MAX_BODY_BYTES = TrackingCalls.MAX_BATCH_BYTES + 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(TrackingListener.class);

    private final TrackingCalls calls;
    private final TrackingListenerProperties properties;
    private final AtomicInteger connections = new AtomicInteger();
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel server;
    /** Write keys not resolved before are looked up in the database here, not on the event loop. */
    private ThreadPoolExecutor lookups;
    private volatile boolean running;

    TrackingListener(TrackingCalls calls, TrackingListenerProperties properties) {
        this.calls = calls;
        this.properties = properties;
    }

    /** The port listened on; -1 when not running. */
    int port() {
        return running ? ((InetSocketAddress) server.localAddress()).getPort() : -1;
    }

    @Override
    public void start() {
        if (properties.port() == null) {
            // set but empty (FLYWHEEL_COLLECT_LISTENER_PORT=): off, as when not set
            return;
        }
        lookups = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1_000),
                new DefaultThreadFactory("tracking-keys", true), new ThreadPoolExecutor.AbortPolicy());
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tracking-accept"), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(Math.max(1, properties.threads()), new DefaultThreadFactory("tracking-io"),
                NioIoHandler.newFactory());
        InetSocketAddress address = properties.address() == null || properties.address().isBlank()
                ? new InetSocketAddress(properties.port())
                : new InetSocketAddress(properties.address(), properties.port());
        try {
            server = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connect(channel);
                        }
                    })
                    .bind(address).syncUninterruptibly().channel();
        }
        catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            lookups.shutdown();
            throw new IllegalStateException("The tracking listener could not listen on " + address + ": " + e.getMessage(), e);
        }
        running = true;
        log.info("Tracking API listening on port {} (flywheel.collect.listener)", port());
    }

    private void connect(SocketChannel channel) {
        if (connections.incrementAndGet() > properties.maxConnections()) {
            connections.decrementAndGet();
            log.warn("Tracking listener: {} connections open, closing a new one (flywheel.collect.listener.max-connections)",
                    properties.maxConnections());
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> connections.decrementAndGet());
        long idle = properties.idleTimeout().toMillis();
        channel.pipeline()
                .addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler())
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new Aggregator())
                .addLast(new Calls());
    }

    /** Stops accepting, then lets the answers already on their way go out before the loop closes. */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        // every wait is bounded: a stop that hung here would keep ingestion from stopping cleanly after it
        // (seen when a loop thread died abnormally and its termination never completed)
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boolean stopped = workers.shutdownGracefully(200, 10_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(15, TimeUnit.SECONDS);
        stopped &= acceptor.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        lookups.shutdown();
        if (stopped) {
            log.info("Tracking listener stopped");
        }
        else {
            log.warn("Tracking listener: its threads did not end in time; going on with the shutdown");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after ingestion (phase 0) and stops before it, with the main web server. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1024;
    }

    /** Collects a request's body; one too large is answered with the API's own problem and the connection closed. */
    private final class Aggregator extends HttpObjectAggregator {

        Aggregator() {
            super(MAX_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String path = path(((io.netty.handler.codec.http.HttpRequest) oversized).uri());
            TrackingAnswer answer = TrackingCalls.tooLarge(TrackingCalls.batchCall(path), path);
            FullHttpResponse response = response(answer, oversized.headers().get(HttpHeaderNames.ORIGIN));
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One per connection: answers its requests in order. */
    private final class Calls extends SimpleChannelInboundHandler<FullHttpRequest> {

        /** Completes when the answer to the latest request has been handed to the connection. */
        private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (request.decoderResult().isFailure()) {
                FullHttpResponse response = response(TrackingProblems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                        "the HTTP request could not be read: " + request.decoderResult().cause().getMessage(), "/"), origin);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                written.thenRunAsync(() -> ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE), ctx.executor());
                return;
            }
            String path = path(request.uri());
            CompletableFuture<TrackingAnswer> answer;
            if (!path.startsWith(TrackingCalls.PREFIX)) {
                answer = CompletableFuture.completedFuture(TrackingProblems.of(HttpStatus.NOT_FOUND, "not-found",
                        "this port serves the tracking API only (" + TrackingCalls.PREFIX + "track, " + TrackingCalls.PREFIX + "batch, …)", path));
            }
            else {
                try {
                    answer = calls.answer(new NettyTrackingRequest(request), path, lookups);
                }
                catch (RuntimeException e) {
                    log.error("Tracking request to {} failed", path, e);
                    answer = CompletableFuture.completedFuture(TrackingCalls.internalError(path));
                }
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            // written on the connection's own loop, in turn: a write from the log writer's thread is
            // queued to the loop, so an answer written directly on the loop could overtake it
            written = written.thenCombine(answer, (previous, next) -> next).thenAcceptAsync(next -> {
                FullHttpResponse response;
                try {
                    response = response(next, origin);
                }
                catch (RuntimeException e) {
                    log.error("Tracking answer to {} could not be written", path, e);
                    response = response(TrackingCalls.internalError(path), origin);
                }
                HttpUtil.setKeepAlive(response, keepAlive);
                ctx.writeAndFlush(response);
            }, ctx.executor());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                log.debug("Tracking connection closed: {}", cause.toString());
            }
            else {
                log.warn("Tracking connection failed", cause);
            }
            ctx.close();
        }
    }

    private FullHttpResponse response(TrackingAnswer answer, String origin) {
        byte[] body = calls.body(answer);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(body));
        HttpHeaders headers = response.headers();
        if (body.length > 0) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        TrackingCalls.headers(origin, answer).forEach(headers::set);
        return response;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private record NettyTrackingRequest(FullHttpRequest request) implements TrackingCalls.TrackingRequest {

        @Override
        public String method() {
            return request.method().name();
        }

        @Override
        public String header(String name) {
            return request.headers().get(name);
        }

        @Override
        public long contentLength() {
            return request.content().readableBytes();
        }

        @Override
        public InputStream body() {
            return new ByteBufInputStream(request.content());
        }
    }
}
