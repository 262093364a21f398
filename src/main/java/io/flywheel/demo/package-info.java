/**
 * Demo data: a deterministic simulation of a believable Chinese e-commerce shop (persons with
 * traits, seven acquisition channels, a product catalogue, sessions, funnels, orders and refunds)
 * streamed into the event store. It loads a "Demo Shop" project on the first start and builds
 * benchmark data sets from the command line ({@code generate-demo}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo data")
package io.flywheel.demo;
