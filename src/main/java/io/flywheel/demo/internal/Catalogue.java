package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo shop's products: six categories of fourteen products with ordinary Chinese retail
 * prices. Popularity inside a category falls off with rank (a Zipf-like curve), so a few products
 * sell most, as they do in real shops.
 */
final class Catalogue {

    static final String DOMAIN = "https://shop.example.com";

    private static final List<Category> CATEGORIES = List.of(
            new Category("服饰", "apparel", 0.24, List.of("连衣裙", "T恤", "卫衣", "跑步鞋"), new Object[][] {
                    {"纯棉圆领T恤", 79}, {"宽松连帽卫衣", 199}, {"高腰直筒牛仔裤", 239}, {"法式碎花连衣裙", 299},
                    {"冰丝防晒衣", 129}, {"轻便跑步鞋", 429}, {"商务免烫衬衫", 189}, {"运动速干短裤", 99},
                    {"针织开衫", 259}, {"复古帆布鞋", 169}, {"轻薄羽绒服", 599}, {"真丝睡衣套装", 459},
                    {"羊毛混纺大衣", 899}, {"棒球帽", 59}}),
            new Category("美妆", "beauty", 0.18, List.of("口红", "防晒", "精华", "面膜"), new Object[][] {
                    {"玻尿酸保湿精华", 299}, {"清透防晒霜 SPF50", 159}, {"丝绒哑光口红", 199}, {"氨基酸洁面乳", 89},
                    {"烟酰胺美白面膜 10片", 129}, {"气垫粉底", 259}, {"卸妆油", 149}, {"补水喷雾", 79},
                    {"修护晚霜", 429}, {"眼影盘", 239}, {"控油散粉", 119}, {"身体乳", 99},
                    {"男士控油洗面奶", 69}, {"淡香水 50ml", 699}}),
            new Category("数码", "electronics", 0.16, List.of("耳机", "充电宝", "手表", "键盘"), new Object[][] {
                    {"降噪蓝牙耳机", 899}, {"65W 氮化镓充电器", 149}, {"20000mAh 充电宝", 199}, {"智能手表", 1299},
                    {"USB-C 数据线", 39}, {"手机壳", 49}, {"无线鼠标", 129}, {"机械键盘", 459},
                    {"便携蓝牙音箱", 299}, {"智能体脂秤", 159}, {"电子阅读器", 999}, {"平板电脑 10.9英寸", 2999},
                    {"4K 运动相机", 1899}, {"旗舰智能手机 256GB", 4999}}),
            new Category("食品", "food", 0.16, List.of("咖啡", "坚果", "牛奶", "零食"), new Object[][] {
                    {"每日坚果 30袋", 139}, {"螺蛳粉 5袋", 55}, {"有机纯牛奶 12盒", 79}, {"云南小粒咖啡豆 1kg", 169},
                    {"低脂鸡胸肉 10袋", 89}, {"冻干水果脆", 49}, {"五常大米 5kg", 99}, {"黑芝麻丸", 69},
                    {"麻辣牛肉干", 68}, {"原味燕麦片 1kg", 45}, {"手工牛轧糖", 59}, {"精酿啤酒 12罐", 128},
                    {"西湖龙井 250g", 328}, {"月饼礼盒", 258}}),
            new Category("家居", "home", 0.14, List.of("枕头", "四件套", "空气炸锅", "收纳"), new Object[][] {
                    {"不锈钢保温杯", 129}, {"记忆棉枕头", 199}, {"空气炸锅", 399}, {"收纳箱 3个装", 79},
                    {"纯棉四件套", 399}, {"香薰蜡烛", 89}, {"电动牙刷", 199}, {"加湿器", 229},
                    {"浴巾", 69}, {"桌面绿植", 49}, {"厨房刀具套装", 299}, {"北欧落地灯", 359},
                    {"扫地机器人", 1999}, {"乳胶床垫", 1699}}),
            new Category("母婴", "baby", 0.12, List.of("纸尿裤", "奶瓶", "绘本", "推车"), new Object[][] {
                    {"婴儿纸尿裤 L码", 129}, {"婴儿湿巾 10包", 59}, {"宽口径奶瓶", 89}, {"宝宝辅食米粉", 68},
                    {"婴儿连体衣", 99}, {"益智积木", 159}, {"儿童绘本套装", 129}, {"婴儿洗护套装", 139},
                    {"儿童保温水杯", 119}, {"爬行垫", 199}, {"婴儿指甲剪套装", 39}, {"孕妇护肤套装", 299},
                    {"婴儿推车", 1299}, {"儿童安全座椅", 1599}}));

    private final List<Product> products;
    private final int[] firstProduct;
    private final double[][] popularity;
    private final double[] categoryWeights;

    Catalogue() {
        List<Product> all = new ArrayList<>();
        firstProduct = new int[CATEGORIES.size() + 1];
        popularity = new double[CATEGORIES.size()][];
        categoryWeights = new double[CATEGORIES.size()];
        for (int c = 0; c < CATEGORIES.size(); c++) {
            Category category = CATEGORIES.get(c);
            firstProduct[c] = all.size();
            double[] weights = new double[category.items().length];
            for (int rank = 0; rank < weights.length; rank++) {
                Object[] item = category.items()[rank];
                String id = "P" + (c + 1) + String.format("%03d", rank + 1);
                all.add(new Product(all.size(), id, (String) item[0], c, category.name(), (Integer) item[1] * 100L));
                weights[rank] = 1.0 / StrictMath.pow(rank + 1, 0.8);
            }
            popularity[c] = Rng.cumulative(weights);
            categoryWeights[c] = category.weight();
        }
        firstProduct[CATEGORIES.size()] = all.size();
        this.products = List.copyOf(all);
    }

    int size() {
        return products.size();
    }

    Product product(int index) {
        return products.get(index);
    }

    List<Product> products() {
        return products;
    }

    static int categories() {
        return CATEGORIES.size();
    }

    static Category category(int index) {
        return CATEGORIES.get(index);
    }

    double[] categoryWeights() {
        return categoryWeights.clone();
    }

    /** A product of the category, popular ones more often. */
    int pick(int category, Rng rng) {
        return firstProduct[category] + rng.pick(popularity[category]);
    }

    /** A shop category with its products as {name, price in yuan} pairs, most popular first. */
    record Category(String name, String slug, double weight, List<String> searchTerms, Object[][] items) {

        Category {
            requireNonNull(name, "name is null");
            requireNonNull(slug, "slug is null");
            searchTerms = List.copyOf(searchTerms);
            requireNonNull(items, "items is null");
        }
    }

    /** One product; {@code index} is its position in the catalogue. */
    record Product(int index, String id, String name, int category, String categoryName, long priceCents) {

        Product {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(categoryName, "categoryName is null");
            if (priceCents <= 0) {
                throw new IllegalArgumentException("price must be positive");
            }
        }
    }
}
