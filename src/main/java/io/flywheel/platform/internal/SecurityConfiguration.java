package io.flywheel.platform.internal;

import io.flywheel.platform.Projects;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Two ways in: the management API is stateless (HTTP Basic for console users, a bearer project
 * secret key for machines) and answers problem details; the console uses a session with form
 * sign-in and CSRF protection. The tracking API ({@code /v1/*}) never reaches these chains: the
 * collect module's endpoint answers it ahead of every filter, authenticated by write key.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, Projects projects) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/docs", "/api/docs/**").permitAll()
                        .anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, exception) ->
                        ProblemResponses.write(response, 401, "unauthenticated", "Unauthorized",
                                "sign in with HTTP Basic (console user) or send Authorization: Bearer <project secret key>")))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, exception) ->
                                ProblemResponses.write(response, 401, "unauthenticated", "Unauthorized",
                                        "sign in with HTTP Basic (console user) or send Authorization: Bearer <project secret key>"))
                        .accessDeniedHandler((request, response, exception) ->
                                ProblemResponses.write(response, 403, "forbidden", "Forbidden", "your role does not allow this")))
                .addFilterBefore(new ProjectKeyFilter(projects), BasicAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain console(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/error", "/error/**", "/webjars/**", "/css/**", "/js/**", "/img/**",
                                "/favicon.ico", "/sdk/**", "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/admin/**", "/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error"))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .httpBasic(Customizer.withDefaults())
                .headers(headers -> headers.frameOptions(frame -> frame.deny()));
        return http.build();
    }

    @Bean
    UserDetailsService userDetailsService(UserStore users) {
        return username -> users.credentials(username)
                .map(credentials -> User.withUsername(credentials.username())
                        .password(credentials.passwordHash())
                        .roles(credentials.role().name())
                        .disabled(!credentials.enabled())
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
