package io.flywheel.demo.internal;

import io.flywheel.events.Event;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Turns the compact events of a {@link DayBuffer} into {@link Event}s, in time order. Everything
 * that does not change from event to event (page and product properties, contexts) is built once
 * up front, so a typical event costs little more than its message id and the event object itself.
 */
final class EventWriter {

    private static final String SHOP = "Demo Shop";
    private static final String CURRENCY = "CNY";
    private static final String[] SIGN_UP_METHODS = {"phone", "wechat", "email"};
    private static final int CACHE_SIZE = 1 << 16;
    private static final String APP_OPENED_PROPERTIES = "{\"from_background\":false,\"version\":\"3.2.1\",\"build\":\"321\"}";

    private final long projectId;
    private final Period period;
    private final Catalogue catalogue;
    private final Population population;
    private final Ids ids;

    private final Page[] pages;
    private final String[] viewedProperties;
    private final String[][] addedProperties;
    private final String[] sharedProperties;
    private final String[] cartItemPrefix;
    private final String[] searchProperties;
    private final String[] signUpProperties;
    private final String[] webContexts;
    private final String[] appContexts;
    private final StringBuilder json = new StringBuilder(512);
    /** Direct-mapped cache of the ids of recently active persons: most events belong to one of them. */
    private final long[] cachedPerson = new long[CACHE_SIZE];
    private final String[] cachedAnonymousId = new String[CACHE_SIZE];
    private final String[] cachedUserId = new String[CACHE_SIZE];

    private long counter;

    EventWriter(long projectId, Period period, Catalogue catalogue, Population population, long seed) {
        this.projectId = projectId;
        this.period = period;
        this.catalogue = catalogue;
        this.population = population;
        this.ids = new Ids(seed);
        this.pages = pages(catalogue);
        int products = catalogue.size();
        viewedProperties = new String[products];
        addedProperties = new String[products][8];
        sharedProperties = new String[products];
        cartItemPrefix = new String[products];
        for (Catalogue.Product product : catalogue.products()) {
            String base = productFields(product);
            viewedProperties[product.index()] = "{" + base + ",\"currency\":\"CNY\"}";
            for (int quantity = 1; quantity < 8; quantity++) {
                addedProperties[product.index()][quantity] = "{" + base + ",\"quantity\":" + quantity + ",\"currency\":\"CNY\"}";
            }
            sharedProperties[product.index()] = "{" + base + ",\"share_via\":\"wechat\"}";
            cartItemPrefix[product.index()] = "{" + base + ",\"quantity\":";
        }
        searchProperties = new String[Catalogue.categories() * Simulation.SEARCH_TERMS];
        for (int term = 0; term < searchProperties.length; term++) {
            searchProperties[term] = "{" + Json.field(new StringBuilder(), "query", searchTerm(term)) + "}";
        }
        signUpProperties = new String[SIGN_UP_METHODS.length];
        for (int i = 0; i < SIGN_UP_METHODS.length; i++) {
            signUpProperties[i] = "{\"method\":\"" + SIGN_UP_METHODS[i] + "\"}";
        }
        webContexts = webContexts(period.zone);
        appContexts = appContexts(period.zone);
    }

    /** Events written so far; also the counter the message ids derive from. */
    long written() {
        return counter;
    }

    /** Writes the day's events in time order to {@code out}. */
    void writeDay(int day, DayBuffer buffer, List<Simulation.Refund> refunds, Batches out) {
        int[] order = buffer.sortedOrder();
        for (int index : order) {
            out.add(event(day, buffer, index, refunds));
        }
    }

    private Event event(int day, DayBuffer buffer, int index, List<Simulation.Refund> refunds) {
        long info = buffer.info[index];
        int person = buffer.person[index];
        long personId = person + 1L;
        long number = counter++;
        long millis = period.dayStart[day] + buffer.time[index];
        Instant timestamp = Instant.ofEpochMilli(millis);
        String messageId = ids.messageId(number);
        int slot = cacheSlot(personId);
        String anonymousId = cachedAnonymousId[slot];
        String userId = DayBuffer.has(info, DayBuffer.WITH_USER) ? userId(slot, personId) : null;
        boolean app = DayBuffer.has(info, DayBuffer.APP);
        String context = app ? appContexts[population.appleDevice(person) ? 0 : 1] : webContexts[population.device[person]];
        int argument = DayBuffer.argument(info);
        int kind = DayBuffer.kind(info);
        Instant receivedAt = Instant.ofEpochMilli(millis + delay(number, kind, app));
        return switch (kind) {
            case DayBuffer.PAGE -> page(info, buffer.aux[index], messageId, personId, anonymousId, userId, timestamp, receivedAt, context);
            case DayBuffer.APP_OPENED -> track("Application Opened", messageId, personId, anonymousId, userId, timestamp, receivedAt, APP_OPENED_PROPERTIES, context);
            case DayBuffer.SEARCHED -> track("Products Searched", messageId, personId, anonymousId, userId, timestamp, receivedAt, searchProperties[argument], context);
            case DayBuffer.VIEWED -> track("Product Viewed", messageId, personId, anonymousId, userId, timestamp, receivedAt, viewedProperties[argument], context);
            case DayBuffer.ADDED -> track("Product Added", messageId, personId, anonymousId, userId, timestamp, receivedAt,
                    addedProperties[argument][DayBuffer.extra(info)], context);
            case DayBuffer.SHARED -> track("Product Shared", messageId, personId, anonymousId, userId, timestamp, receivedAt, sharedProperties[argument], context);
            case DayBuffer.CHECKOUT -> track("Checkout Started", messageId, personId, anonymousId, userId, timestamp, receivedAt, checkoutProperties(buffer, argument), context);
            case DayBuffer.ORDER -> order(day, buffer, argument, messageId, personId, anonymousId, userId, timestamp, receivedAt, context);
            case DayBuffer.REFUND -> refund(refunds.get(argument), messageId, personId, anonymousId, userId, timestamp, receivedAt, context);
            case DayBuffer.SIGNED_UP -> track("Signed Up", messageId, personId, anonymousId, userId, timestamp, receivedAt, signUpProperties[argument], context);
            case DayBuffer.IDENTIFY -> new Event(projectId, messageId, "identify", "Identify", personId, anonymousId, userId, timestamp, receivedAt,
                    null, null, null, null, null, null, null, null, null, population.traits(person, timestamp.toString()), context);
            default -> throw new IllegalStateException("unknown event kind " + kind);
        };
    }

    private int cacheSlot(long personId) {
        int slot = (int) (personId & (CACHE_SIZE - 1));
        if (cachedPerson[slot] != personId) {
            cachedPerson[slot] = personId;
            cachedAnonymousId[slot] = ids.anonymousId(personId);
            cachedUserId[slot] = null;
        }
        return slot;
    }

    private String userId(int slot, long personId) {
        String userId = cachedUserId[slot];
        if (userId == null) {
            userId = Ids.userId(personId);
            cachedUserId[slot] = userId;
        }
        return userId;
    }

    private Event track(String name, String messageId, long personId, String anonymousId, String userId, Instant timestamp, Instant receivedAt,
            String properties, String context) {
        return new Event(projectId, messageId, "track", name, personId, anonymousId, userId, timestamp, receivedAt,
                null, null, null, null, null, null, null, null, null, properties, context);
    }

    private Event page(long info, int inviter, String messageId, long personId, String anonymousId, String userId, Instant timestamp,
            Instant receivedAt, String context) {
        Page page = pages[DayBuffer.argument(info)];
        int touchChannel = DayBuffer.touchChannel(info);
        if (touchChannel == 0) {
            return new Event(projectId, messageId, "page", "Page Viewed", personId, anonymousId, userId, timestamp, receivedAt,
                    page.url(), null, null, null, null, null, null, null, null, page.properties(), context);
        }
        Channel channel = Channel.of(touchChannel - 1);
        Channel.Touch touch = channel.touches.get(DayBuffer.touchVariant(info));
        String query = touch.query();
        if (channel == Channel.REFERRAL && inviter >= 0) {
            query = "ref=INV" + Ids.userId(inviter + 1L).substring(2) + "&" + query;
        }
        String url = query.isEmpty() ? page.url() : page.url() + (page.url().indexOf('?') < 0 ? "?" : "&") + query;
        json.setLength(0);
        json.append('{');
        Json.field(json, "path", page.path()).append(',');
        Json.field(json, "url", url).append(',');
        Json.field(json, "title", page.title());
        if (touch.referrer() != null) {
            Json.field(json.append(','), "referrer", touch.referrer());
        }
        if (!query.isEmpty()) {
            Json.field(json.append(','), "search", "?" + query);
        }
        json.append('}');
        return new Event(projectId, messageId, "page", "Page Viewed", personId, anonymousId, userId, timestamp, receivedAt,
                url, touch.referrer(), touch.utmSource(), touch.utmMedium(), touch.utmCampaign(), channel.label,
                null, null, null, json.toString(), context);
    }

    private Event order(int day, DayBuffer buffer, int cart, String messageId, long personId, String anonymousId, String userId,
            Instant timestamp, Instant receivedAt, String context) {
        String orderId = orderId(day, buffer.cartOrder[cart]);
        long revenue = revenue(buffer, cart);
        json.setLength(0);
        json.append("{\"order_id\":\"").append(orderId).append("\",\"revenue\":");
        Json.money(json, revenue).append(",\"currency\":\"CNY\",");
        products(buffer, cart);
        json.append('}');
        return new Event(projectId, messageId, "track", "Order Completed", personId, anonymousId, userId, timestamp, receivedAt,
                null, null, null, null, null, null, orderId, revenue / 100.0, CURRENCY, json.toString(), context);
    }

    private Event refund(Simulation.Refund refund, String messageId, long personId, String anonymousId, String userId,
            Instant timestamp, Instant receivedAt, String context) {
        String orderId = orderId(refund.orderDay(), refund.order());
        json.setLength(0);
        json.append("{\"order_id\":\"").append(orderId).append("\",\"total\":");
        Json.money(json, refund.revenueCents()).append(",\"revenue\":");
        Json.money(json, refund.revenueCents()).append(",\"currency\":\"CNY\"}");
        return new Event(projectId, messageId, "track", "Order Refunded", personId, anonymousId, userId, timestamp, receivedAt,
                null, null, null, null, null, null, orderId, refund.revenueCents() / 100.0, CURRENCY, json.toString(), context);
    }

    private String checkoutProperties(DayBuffer buffer, int cart) {
        json.setLength(0);
        json.append("{\"value\":");
        Json.money(json, revenue(buffer, cart)).append(",\"currency\":\"CNY\",");
        products(buffer, cart);
        return json.append('}').toString();
    }

    private void products(DayBuffer buffer, int cart) {
        json.append("\"products\":[");
        int start = buffer.cartStart[cart];
        for (int i = 0; i < buffer.cartLength[cart]; i++) {
            int item = buffer.cartItems[start + i];
            if (i > 0) {
                json.append(',');
            }
            json.append(cartItemPrefix[item / 8]).append(item % 8).append('}');
        }
        json.append(']');
    }

    private long revenue(DayBuffer buffer, int cart) {
        long cents = 0;
        int start = buffer.cartStart[cart];
        for (int i = 0; i < buffer.cartLength[cart]; i++) {
            int item = buffer.cartItems[start + i];
            cents += catalogue.product(item / 8).priceCents() * (item % 8);
        }
        return cents;
    }

    /** {@code DS} + the order's date + a sequence number, e.g. {@code DS202605140001234}. */
    private String orderId(int day, long sequence) {
        String digits = Long.toString(sequence);
        StringBuilder id = new StringBuilder(20).append("DS").append(period.dateNumber(day));
        for (int i = digits.length(); i < 7; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    /**
     * Milliseconds between an event and its arrival: browsers send at once, apps batch for a few
     * seconds, orders and refunds come from the shop's servers.
     */
    private static long delay(long number, int kind, boolean app) {
        long noise = Rng.mix(number ^ 0x5DEECE66DL) >>> 1;
        if (kind == DayBuffer.ORDER || kind == DayBuffer.REFUND) {
            return 5 + noise % 60;
        }
        return app ? 100 + noise % 2_900 : 40 + noise % 860;
    }

    private static String productFields(Catalogue.Product product) {
        StringBuilder fields = new StringBuilder(160);
        Json.field(fields, "product_id", product.id()).append(',');
        Json.field(fields, "name", product.name()).append(',');
        Json.field(fields, "category", product.categoryName()).append(',');
        Json.string(fields, "price").append(':');
        Json.money(fields, product.priceCents());
        return fields.toString();
    }

    private static String searchTerm(int term) {
        return Catalogue.category(term / Simulation.SEARCH_TERMS).searchTerms().get(term % Simulation.SEARCH_TERMS);
    }

    private static Page[] pages(Catalogue catalogue) {
        Page[] pages = new Page[Simulation.PRODUCT_PAGES + catalogue.size()];
        pages[Simulation.HOME] = Page.of("/", "", SHOP + " 首页");
        pages[Simulation.CART] = Page.of("/cart", "", "购物车 - " + SHOP);
        pages[Simulation.CHECKOUT_PAGE] = Page.of("/checkout", "", "结算 - " + SHOP);
        pages[Simulation.SIGN_UP_PAGE] = Page.of("/signup", "", "注册 - " + SHOP);
        pages[Simulation.ORDER_DONE] = Page.of("/checkout/success", "", "下单成功 - " + SHOP);
        pages[Simulation.INVITE] = Page.of("/invite", "", "好友邀请 - " + SHOP);
        for (int c = 0; c < Catalogue.categories(); c++) {
            Catalogue.Category category = Catalogue.category(c);
            pages[Simulation.CATEGORY_PAGES + c] = Page.of("/c/" + category.slug(), "", category.name() + " - " + SHOP);
        }
        for (int term = 0; term < Catalogue.categories() * Simulation.SEARCH_TERMS; term++) {
            String text = searchTerm(term);
            pages[Simulation.SEARCH_PAGES + term] = Page.of("/search", "?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8),
                    "搜索：" + text + " - " + SHOP);
        }
        for (Catalogue.Product product : catalogue.products()) {
            pages[Simulation.PRODUCT_PAGES + product.index()] = Page.of("/p/" + product.id(), "", product.name() + " - " + SHOP);
        }
        return pages;
    }

    private static String[] webContexts(ZoneId zone) {
        String[] agents = {
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
                "Mozilla/5.0 (Linux; Android 14; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 NetType/5G Language/zh_CN",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36"};
        String[] contexts = new String[agents.length];
        for (int i = 0; i < agents.length; i++) {
            StringBuilder context = new StringBuilder(400).append("{\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"},");
            Json.field(context, "locale", "zh-CN").append(',');
            Json.field(context, "timezone", zone.getId()).append(',');
            Json.field(context, "userAgent", agents[i]);
            contexts[i] = context.append('}').toString();
        }
        return contexts;
    }

    private static String[] appContexts(ZoneId zone) {
        String ios = "{\"library\":{\"name\":\"analytics-ios\",\"version\":\"4.1.8\"},"
                + "\"app\":{\"name\":\"Demo Shop\",\"version\":\"3.2.1\",\"build\":\"321\"},"
                + "\"device\":{\"manufacturer\":\"Apple\",\"model\":\"iPhone15,2\",\"type\":\"ios\"},"
                + "\"os\":{\"name\":\"iOS\",\"version\":\"17.4\"},\"locale\":\"zh-CN\",\"timezone\":" + Json.quoted(zone.getId()) + "}";
        String android = "{\"library\":{\"name\":\"analytics-android\",\"version\":\"4.11.3\"},"
                + "\"app\":{\"name\":\"Demo Shop\",\"version\":\"3.2.1\",\"build\":\"321\"},"
                + "\"device\":{\"manufacturer\":\"Xiaomi\",\"model\":\"23127PN0CC\",\"type\":\"android\"},"
                + "\"os\":{\"name\":\"Android\",\"version\":\"14\"},\"locale\":\"zh-CN\",\"timezone\":" + Json.quoted(zone.getId()) + "}";
        return new String[] {ios, android};
    }

    /** A shop page; {@code query} is part of its own address (search results). */
    record Page(String path, String url, String title, String properties) {

        static Page of(String path, String query, String title) {
            String url = Catalogue.DOMAIN + path + query;
            StringBuilder properties = new StringBuilder(200).append('{');
            Json.field(properties, "path", path).append(',');
            Json.field(properties, "url", url).append(',');
            Json.field(properties, "title", title);
            if (!query.isEmpty()) {
                Json.field(properties.append(','), "search", query);
            }
            return new Page(path, url, title, properties.append('}').toString());
        }
    }
}
