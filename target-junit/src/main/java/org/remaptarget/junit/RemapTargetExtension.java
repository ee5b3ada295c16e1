package org.remaptarget.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.remaptarget.target.api.RemapTarget;
import org.remaptarget.target.api.RemapTargetBuilder;

/**
 * The JUnit 5 extension behind {@link RemapTargetTest}: starts the server before the class (or each test), resolves
 * {@link RemapTarget} parameters, and closes the server after the class (or test). State lives in the
 * extension-context store only, so parallel test classes each get their own server.
 */
public final class RemapTargetExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RemapTargetExtension.class);
    private static final String KEY = "server";

    private static RemapTargetTest config(ExtensionContext ctx) {
        return AnnotationSupport.findAnnotation(ctx.getRequiredTestClass(), RemapTargetTest.class)
                .orElseThrow(() -> new IllegalStateException("@RemapTargetTest missing on "
                        + ctx.getRequiredTestClass().getName()));
    }

    private static RemapTarget start(RemapTargetTest c) {
        if (c.luns() < 1 || c.size() <= 0 || c.size() % 512 != 0) {
            throw new IllegalArgumentException("@RemapTargetTest needs luns >= 1 and a size that is a positive "
                    + "multiple of 512");
        }
        RemapTargetBuilder b = RemapTarget.builder();
        RemapTargetBuilder.TargetBuilder t = b.target(c.iqn());
        for (int i = 0; i < c.luns(); i++) {
            t.memoryLun(i, c.size());
        }
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded iSCSI target: " + e.getMessage(), e);
        }
    }

    /** Wraps the server so the store closes it. */
    private record Handle(RemapTarget target) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            target.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        if (config(ctx).lifecycle() == RemapTargetTest.Lifecycle.PER_CLASS) {
            ctx.getStore(NS).put(KEY, new Handle(start(config(ctx))));
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        if (config(ctx).lifecycle() == RemapTargetTest.Lifecycle.PER_TEST) {
            ctx.getStore(NS).put(KEY, new Handle(start(config(ctx))));
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        if (config(ctx).lifecycle() == RemapTargetTest.Lifecycle.PER_TEST) {
            Handle h = ctx.getStore(NS).remove(KEY, Handle.class);
            if (h != null) {
                h.close();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        Handle h = ctx.getStore(NS).remove(KEY, Handle.class);
        if (h != null) {
            h.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == RemapTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Handle h = ctx.getStore(NS).get(KEY, Handle.class);
        if (h == null) {
            throw new ParameterResolutionException("no running remap-target server in this context (a PER_TEST "
                    + "server is not available in @BeforeAll)");
        }
        return h.target();
    }
}
