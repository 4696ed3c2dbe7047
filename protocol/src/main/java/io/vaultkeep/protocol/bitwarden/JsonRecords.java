package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the export records to and from Jackson trees by one rule, which is what makes them lossless:
 *
 * <p>A record component takes the JSON key of the same name only when the value has the component's
 * shape: a string for {@code String}, {@code true}/{@code false} for {@code Boolean}, a 32-bit integer
 * for {@code Integer} and the code types ({@link ItemType}, {@link FieldType}), an object for a nested
 * record, an array of strings or of objects for a {@code List}. Everything else — unknown keys, keys
 * whose value is {@code null}, values of an unexpected shape — stays verbatim in the record's
 * {@code other} map. Writing puts back every non-null component, then every {@code other} entry, so
 * read→write gives the same tree (key order aside, which JSON does not give meaning to).
 */
final class JsonRecords {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Shape { TEXT, BOOL, INT, CODE, OBJECT, TEXT_LIST, OBJECT_LIST }

    private record Slot(int index, String key, Shape shape, Class<?> type, Method accessor) {

        boolean fits(JsonNode value) {
            return switch (shape) {
                case TEXT -> value.isTextual();
                case BOOL -> value.isBoolean();
                case INT, CODE -> value.isInt();
                case OBJECT -> value.isObject();
                case TEXT_LIST -> value.isArray() && all(value, JsonNode::isTextual);
                case OBJECT_LIST -> value.isArray() && all(value, JsonNode::isObject);
            };
        }

        Object read(JsonNode value) {
            return switch (shape) {
                case TEXT -> value.textValue();
                case BOOL -> value.booleanValue();
                case INT -> value.intValue();
                case CODE -> code(type, value.intValue());
                case OBJECT -> JsonRecords.read(type.asSubclass(ExportRecord.class), (ObjectNode) value);
                case TEXT_LIST -> {
                    List<String> list = new ArrayList<>(value.size());
                    value.forEach(element -> list.add(element.textValue()));
                    yield list;
                }
                case OBJECT_LIST -> {
                    List<Object> list = new ArrayList<>(value.size());
                    value.forEach(element -> list.add(JsonRecords.read(type.asSubclass(ExportRecord.class), (ObjectNode) element)));
                    yield list;
                }
            };
        }

        JsonNode write(Object value) {
            return switch (shape) {
                case TEXT -> NODES.textNode((String) value);
                case BOOL -> NODES.booleanNode((Boolean) value);
                case INT -> NODES.numberNode((Integer) value);
                case CODE -> NODES.numberNode((Integer) invoke(type.getRecordComponents()[0].getAccessor(), value));
                case OBJECT -> JsonRecords.write((ExportRecord) value);
                case TEXT_LIST -> {
                    ArrayNode array = NODES.arrayNode();
                    ((List<?>) value).forEach(element -> array.add((String) element));
                    yield array;
                }
                case OBJECT_LIST -> {
                    ArrayNode array = NODES.arrayNode();
                    ((List<?>) value).forEach(element -> array.add(JsonRecords.write((ExportRecord) element)));
                    yield array;
                }
            };
        }
    }

    private record Layout(List<Slot> slots, Map<String, Slot> byKey, Constructor<?> constructor) {}

    private static final ClassValue<Layout> LAYOUTS = new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
            return layout(type);
        }
    };

    private JsonRecords() {}

    static <T extends ExportRecord> T read(Class<T> type, ObjectNode node) {
        Layout layout = LAYOUTS.get(type);
        Object[] args = new Object[layout.slots.size() + 1];
        Map<String, JsonNode> other = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            Slot slot = layout.byKey.get(entry.getKey());
            if (slot != null && slot.fits(entry.getValue())) {
                args[slot.index] = slot.read(entry.getValue());
            } else {
                other.put(entry.getKey(), entry.getValue());
            }
        });
        args[args.length - 1] = other;
        return type.cast(construct(layout.constructor, args));
    }

    static ObjectNode write(ExportRecord value) {
        Layout layout = LAYOUTS.get(value.getClass());
        ObjectNode node = NODES.objectNode();
        for (Slot slot : layout.slots) {
            Object component = invoke(slot.accessor, value);
            if (component != null) {
                node.set(slot.key, slot.write(component));
            }
        }
        // a typed value wins over an entry of the same key (which can then only be a null or an odd shape)
        value.other().forEach((key, json) -> {
            if (!node.has(key)) {
                node.set(key, json.deepCopy());
            }
        });
        return node;
    }

    /**
     * The {@code other} map a record keeps: an immutable, ordered copy, Java nulls read as JSON nulls.
     *
     * @throws IllegalArgumentException when an entry belongs in a component (its key names one and its
     *     value has the component's shape): it would come back from a round trip in the component
     */
    static Map<String, JsonNode> other(Class<? extends ExportRecord> type, Map<String, JsonNode> other) {
        if (other == null || other.isEmpty()) {
            return Map.of();
        }
        Layout layout = LAYOUTS.get(type);
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        other.forEach((key, json) -> {
            if (key == null) {
                throw new IllegalArgumentException(type.getSimpleName() + ".other has a null key");
            }
            JsonNode value = json == null ? NullNode.instance : json.deepCopy();
            Slot slot = layout.byKey.get(key);
            if (slot != null && slot.fits(value)) {
                throw new IllegalArgumentException(type.getSimpleName() + ".other holds \"" + key
                        + "\" with a value of its component's shape: set the component instead");
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A {@code toString} that never shows vault text: the record's name, its id, its code types, and
     * the names of the keys it holds (with list sizes), so a logged record leaks nothing secret.
     */
    static String describe(ExportRecord value) {
        Layout layout = LAYOUTS.get(value.getClass());
        StringBuilder out = new StringBuilder(value.getClass().getSimpleName()).append('[');
        String separator = "";
        for (Slot slot : layout.slots) {
            Object component = invoke(slot.accessor, value);
            if (component == null) {
                continue;
            }
            out.append(separator).append(slot.key);
            if (slot.key.equals("id") || slot.shape == Shape.CODE) {
                out.append('=').append(component);
            } else if (component instanceof List<?> list) {
                out.append('(').append(list.size()).append(')');
            }
            separator = ", ";
        }
        if (!value.other().isEmpty()) {
            out.append(separator).append("other=").append(value.other().keySet());
        }
        return out.append(']').toString();
    }

    /**
     * The record, rebuilt without the {@code other} entries a non-null component shadows (the writer
     * would drop them), so that a record built by hand equals the one its JSON reads back as.
     */
    static <T extends ExportRecord> T unshadowed(T value, java.util.function.Function<Map<String, JsonNode>, T> rebuild) {
        Layout layout = LAYOUTS.get(value.getClass());
        Map<String, JsonNode> kept = new LinkedHashMap<>(value.other());
        boolean changed = kept.keySet().removeIf(key -> {
            Slot slot = layout.byKey.get(key);
            return slot != null && invoke(slot.accessor, value) != null;
        });
        return changed ? rebuild.apply(kept) : value;
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    private static Layout layout(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null || components.length == 0) {
            throw new IllegalStateException(type + " is not a record");
        }
        RecordComponent last = components[components.length - 1];
        if (!last.getName().equals("other") || last.getType() != Map.class) {
            throw new IllegalStateException(type.getSimpleName() + " must end with Map<String, JsonNode> other");
        }
        List<Slot> slots = new ArrayList<>();
        Map<String, Slot> byKey = new LinkedHashMap<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            if (i == components.length - 1) {
                break;
            }
            Slot slot = slot(type, i, component);
            slots.add(slot);
            byKey.put(slot.key, slot);
        }
        try {
            return new Layout(List.copyOf(slots), Map.copyOf(byKey), type.getDeclaredConstructor(types));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor", e);
        }
    }

    private static Slot slot(Class<?> owner, int index, RecordComponent component) {
        Class<?> type = component.getType();
        String key = component.getName();
        Method accessor = component.getAccessor();
        if (type == String.class) {
            return new Slot(index, key, Shape.TEXT, type, accessor);
        }
        if (type == Boolean.class) {
            return new Slot(index, key, Shape.BOOL, type, accessor);
        }
        if (type == Integer.class) {
            return new Slot(index, key, Shape.INT, type, accessor);
        }
        if (isCode(type)) {
            return new Slot(index, key, Shape.CODE, type, accessor);
        }
        if (ExportRecord.class.isAssignableFrom(type)) {
            return new Slot(index, key, Shape.OBJECT, type, accessor);
        }
        if (type == List.class && component.getGenericType() instanceof ParameterizedType list) {
            Type element = list.getActualTypeArguments()[0];
            if (element == String.class) {
                return new Slot(index, key, Shape.TEXT_LIST, String.class, accessor);
            }
            if (element instanceof Class<?> elementType && ExportRecord.class.isAssignableFrom(elementType)) {
                return new Slot(index, key, Shape.OBJECT_LIST, elementType, accessor);
            }
        }
        throw new IllegalStateException(owner.getSimpleName() + "." + key + " has a type the export mapping does not know");
    }

    /** A code type is a record holding one {@code int code}, like {@link ItemType}. */
    private static boolean isCode(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        return components != null && components.length == 1 && components[0].getType() == int.class;
    }

    private static boolean all(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (!test.test(element)) {
                return false;
            }
        }
        return true;
    }

    private static Object code(Class<?> type, int code) {
        try {
            return construct(type.getDeclaredConstructor(int.class), new Object[] {code});
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no (int) constructor", e);
        }
    }

    private static Object construct(Constructor<?> constructor, Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + constructor.getDeclaringClass().getSimpleName(), e);
        }
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor.getName(), e);
        }
    }
}
