package io.roomcast.bus;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link MessageBus} implementation with the name {@link MessageBusProducer} selects it
 * by. The qualifier keeps implementations out of plain {@code @Inject MessageBus} points.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface BusImplementation {

    /** {@code local} or {@code redis}. */
    String value();

    /** For selecting an implementation by name at run time. */
    final class Literal extends AnnotationLiteral<BusImplementation> implements BusImplementation {

        private static final long serialVersionUID = 1L;
        private final String value;

        public Literal(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
