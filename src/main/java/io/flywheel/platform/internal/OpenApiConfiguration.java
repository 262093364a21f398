package io.flywheel.platform.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI flywheelOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Flywheel management API")
                        .version("v1")
                        .description("""
                                JSON API of the Flywheel growth operations platform. Console users authenticate with HTTP Basic; \
                                machines send `Authorization: Bearer <project secret key>` and see only that project. \
                                Errors are RFC 9457 problem details (`application/problem+json`) with a stable `type` \
                                (`urn:flywheel:problem:<kind>`), a human `detail` and, for validation, `errors[]` naming the fields."""))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("projectKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A project's secret key")))
                .addSecurityItem(new SecurityRequirement().addList("basic"))
                .addSecurityItem(new SecurityRequirement().addList("projectKey"));
    }
}
