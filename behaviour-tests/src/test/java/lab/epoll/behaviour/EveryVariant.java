package lab.epoll.behaviour;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test body once per variant in {@link SuiteVariants#selected()} (all of them), the variant being its only
 * parameter: {@code @EveryVariant void someBehaviour(ServerVariant variant)}. A body that needs a feature some
 * variant lacks starts with {@code Assumptions.assumeTrue(variant.has(Feature.X), ...)}, so that variant shows
 * as skipped rather than failed. Tests that pair variants with other arguments keep their own
 * {@code @MethodSource}.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0} server")
@MethodSource("lab.epoll.behaviour.SuiteVariants#selected")
@interface EveryVariant {}
