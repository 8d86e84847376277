#include "core/io/TorchPickle.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "core/Error.h"

namespace ssmlens {
namespace {

// Nesting of containers in a state dict is about five (dict, _metadata, per-module dict, version); a hostile
// pickle could nest a million lists, whose destruction would recurse as deep.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxGlobalNameBytes = 256;

struct Value;
using ValueRef = std::shared_ptr<Value>;

struct Value {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };
    Kind kind = Kind::None;
    int64_t integer = 0;  // Int, Bool
    double real = 0;
    std::string text;     // String; Global: "module.name"
    std::vector<ValueRef> items;                            // Tuple, List
    std::vector<std::pair<ValueRef, ValueRef>> entries;     // Dict
    TorchTensorRecord tensor;                               // Storage (dtype, key, numel), Tensor
    int depth = 1;        // containers: 1 + the deepest item
    // Set once the value is inside another value (or an argument of a call): it may no longer change, so
    // depths stay right and no container can come to hold itself.
    bool sealed = false;
};

const char* kindName(Value::Kind k) {
    switch (k) {
        case Value::Kind::None: return "None";
        case Value::Kind::Bool: return "a bool";
        case Value::Kind::Int: return "an integer";
        case Value::Kind::Float: return "a float";
        case Value::Kind::String: return "a string";
        case Value::Kind::Tuple: return "a tuple";
        case Value::Kind::List: return "a list";
        case Value::Kind::Dict: return "a dict";
        case Value::Kind::Global: return "a class or function";
        case Value::Kind::Storage: return "a storage";
        case Value::Kind::Tensor: return "a tensor";
    }
    return "a value";
}

struct StorageType {
    const char* name;
    at::ScalarType dtype;
};
const StorageType kStorageTypes[] = {
    {"FloatStorage", at::kFloat}, {"DoubleStorage", at::kDouble}, {"HalfStorage", at::kHalf},
    {"BFloat16Storage", at::kBFloat16}, {"LongStorage", at::kLong}, {"IntStorage", at::kInt},
    {"ShortStorage", at::kShort}, {"CharStorage", at::kChar}, {"ByteStorage", at::kByte},
    {"BoolStorage", at::kBool}};

class Interpreter {
public:
    Interpreter(const unsigned char* bytes, uint64_t size, std::string source)
        : p_(bytes), size_(size), source_(std::move(source)) {}

    ValueRef run() {
        while (true) {
            if (at_ >= size_) fail("the pickle ends without STOP (truncated?)");
            const unsigned char op = p_[at_++];
            if (op == '.') return pop();  // STOP
            step(op);
        }
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw Error(source_ + ": " + problem + " (at byte " + std::to_string(at_) + " of the pickle)");
    }

    const unsigned char* take(uint64_t n) {
        if (n > size_ - at_) fail("the pickle ends inside an opcode's argument (truncated?)");
        const unsigned char* here = p_ + at_;
        at_ += n;
        return here;
    }
    uint64_t le(uint64_t n) {
        const unsigned char* b = take(n);
        uint64_t v = 0;
        for (uint64_t i = n; i-- > 0;) v = (v << 8) | b[i];
        return v;
    }
    std::string bytesOf(uint64_t n) {
        const unsigned char* b = take(n);
        return std::string(reinterpret_cast<const char*>(b), n);
    }
    std::string line() {
        for (uint64_t i = at_; i < size_ && i - at_ <= kMaxGlobalNameBytes; ++i)
            if (p_[i] == '\n') {
                std::string text(reinterpret_cast<const char*>(p_ + at_), i - at_);
                at_ = i + 1;
                return text;
            }
        fail("a GLOBAL name is unterminated or too long");
    }

    static ValueRef make(Value::Kind k) {
        auto v = std::make_shared<Value>();
        v->kind = k;
        return v;
    }
    void push(ValueRef v) { stack_.push_back(std::move(v)); }
    ValueRef pop() {
        if (stack_.size() <= markFloor()) fail("the pickle takes a value from an empty stack");
        ValueRef v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    ValueRef& top() {
        if (stack_.size() <= markFloor()) fail("the pickle uses a value of an empty stack");
        return stack_.back();
    }
    size_t markFloor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::vector<ValueRef> popToMark() {
        if (marks_.empty()) fail("the pickle collects items without a MARK");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<ValueRef> items(std::make_move_iterator(stack_.begin() + long(mark)),
                                    std::make_move_iterator(stack_.end()));
        stack_.resize(mark);
        return items;
    }

    // Puts `child` inside `parent` (or uses it as an argument): seals it and updates the parent's depth.
    void adopt(Value& parent, const ValueRef& child) {
        if (parent.sealed) fail("the pickle changes a value after using it (not a plain state dict)");
        if (child.get() == &parent) fail("the pickle puts a value inside itself");
        child->sealed = true;
        parent.depth = std::max(parent.depth, child->depth + 1);
        if (parent.depth > kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    ValueRef tupleOf(std::vector<ValueRef> items) {
        ValueRef t = make(Value::Kind::Tuple);
        for (const ValueRef& item : items) adopt(*t, item);
        t->items = std::move(items);
        return t;
    }
    Value& containerOnTop(Value::Kind kind, const char* opcode) {
        Value& c = *top();
        if (c.kind != kind) fail(std::string(opcode) + " applied to " + kindName(c.kind));
        return c;
    }
    void setItems(std::vector<ValueRef> kv) {
        if (kv.size() % 2) fail("SETITEMS with an odd number of items");
        Value& d = containerOnTop(Value::Kind::Dict, "SETITEMS");
        for (size_t i = 0; i < kv.size(); i += 2) {
            adopt(d, kv[i]);
            adopt(d, kv[i + 1]);
            d.entries.emplace_back(std::move(kv[i]), std::move(kv[i + 1]));
        }
    }

    void step(unsigned char op) {
        switch (op) {
            case 0x80:  // PROTO
                if (*take(1) > 5) fail("pickle protocol above 5");
                return;
            case 0x95: take(8); return;  // FRAME: a hint for buffering
            case '(': marks_.push_back(stack_.size()); return;  // MARK
            case '}': push(make(Value::Kind::Dict)); return;   // EMPTY_DICT
            case ']': push(make(Value::Kind::List)); return;   // EMPTY_LIST
            case ')': push(make(Value::Kind::Tuple)); return;  // EMPTY_TUPLE
            case 'N': push(make(Value::Kind::None)); return;
            case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
                ValueRef v = make(Value::Kind::Bool);
                v->integer = op == 0x88;
                push(v);
                return;
            }
            case 'J': case 'K': case 'M': {  // BININT (int32), BININT1, BININT2
                ValueRef v = make(Value::Kind::Int);
                v->integer = op == 'J' ? int64_t(int32_t(uint32_t(le(4)))) : int64_t(le(op == 'K' ? 1 : 2));
                push(v);
                return;
            }
            case 0x8a: {  // LONG1: little-endian two's complement of n bytes
                const uint64_t n = *take(1);
                if (n > 8) fail("an integer of " + std::to_string(n) + " bytes (more than 64 bits)");
                uint64_t raw = n ? le(n) : 0;
                if (n > 0 && n < 8 && (raw >> (8 * n - 1)) & 1) raw |= ~uint64_t(0) << (8 * n);  // sign-extend
                ValueRef v = make(Value::Kind::Int);
                v->integer = int64_t(raw);
                push(v);
                return;
            }
            case 'G': {  // BINFLOAT: big-endian double
                const unsigned char* b = take(8);
                uint64_t bits = 0;
                for (int i = 0; i < 8; ++i) bits = (bits << 8) | b[i];
                ValueRef v = make(Value::Kind::Float);
                std::memcpy(&v->real, &bits, 8);
                push(v);
                return;
            }
            case 'X': case 0x8c: case 0x8d: case 'U': case 'T': case 'C': case 'B': {
                // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, SHORT_BINSTRING, BINSTRING, SHORT_BINBYTES, BINBYTES
                const uint64_t n = (op == 0x8c || op == 'U' || op == 'C') ? le(1) : op == 0x8d ? le(8) : le(4);
                ValueRef v = make(Value::Kind::String);
                v->text = bytesOf(n);
                push(v);
                return;
            }
            case 'c': {  // GLOBAL module\nname\n
                std::string module = line();
                std::string name = line();
                pushGlobal(module, name);
                return;
            }
            case 0x93: {  // STACK_GLOBAL
                ValueRef name = pop(), module = pop();
                if (module->kind != Value::Kind::String || name->kind != Value::Kind::String)
                    fail("STACK_GLOBAL without a module and a name");
                if (module->text.size() > kMaxGlobalNameBytes || name->text.size() > kMaxGlobalNameBytes)
                    fail("a global name is too long");
                pushGlobal(module->text, name->text);
                return;
            }
            case 'q': memo_[uint32_t(le(1))] = top(); return;       // BINPUT
            case 'r': memo_[uint32_t(le(4))] = top(); return;       // LONG_BINPUT
            case 0x94: memo_[uint32_t(memo_.size())] = top(); return;  // MEMOIZE
            case 'h': case 'j': {  // BINGET, LONG_BINGET
                const auto it = memo_.find(uint32_t(le(op == 'h' ? 1 : 4)));
                if (it == memo_.end()) fail("the pickle refers to a value it never stored");
                push(it->second);
                return;
            }
            case 't': push(tupleOf(popToMark())); return;  // TUPLE
            case 0x85: case 0x86: case 0x87: {              // TUPLE1..3
                const size_t n = size_t(op - 0x84);
                std::vector<ValueRef> items(n);
                for (size_t i = n; i-- > 0;) items[i] = pop();
                push(tupleOf(std::move(items)));
                return;
            }
            case 'a': {  // APPEND
                ValueRef v = pop();
                Value& list = containerOnTop(Value::Kind::List, "APPEND");
                adopt(list, v);
                list.items.push_back(std::move(v));
                return;
            }
            case 'e': {  // APPENDS
                std::vector<ValueRef> items = popToMark();
                Value& list = containerOnTop(Value::Kind::List, "APPENDS");
                for (ValueRef& v : items) {
                    adopt(list, v);
                    list.items.push_back(std::move(v));
                }
                return;
            }
            case 's': {  // SETITEM
                ValueRef value = pop(), key = pop();
                setItems({std::move(key), std::move(value)});
                return;
            }
            case 'u': setItems(popToMark()); return;  // SETITEMS
            case 'Q': {  // BINPERSID: torch.save's reference to a storage record
                ValueRef id = pop();
                push(storageFrom(*id));
                return;
            }
            case 'R': {  // REDUCE
                ValueRef args = pop(), callable = pop();
                push(call(*callable, args));
                return;
            }
            case 'b': {  // BUILD: an OrderedDict's attributes (_metadata) or a Parameter's state
                ValueRef state = pop();
                Value& target = *top();
                if (target.kind != Value::Kind::Dict && target.kind != Value::Kind::Tensor)
                    fail(std::string("BUILD applied to ") + kindName(target.kind));
                if (target.sealed) fail("the pickle changes a value after using it (not a plain state dict)");
                return;  // the attributes are not needed
            }
            default: {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", op);
                fail(std::string("opcode ") + hex + " is not part of a torch.save state dict");
            }
        }
    }

    void pushGlobal(const std::string& module, const std::string& name) {
        ValueRef g = make(Value::Kind::Global);
        g->text = module + "." + name;
        push(g);
    }

    ValueRef storageFrom(const Value& id) {
        // ('storage', torch.FloatStorage, key, location, numel)
        if (id.kind != Value::Kind::Tuple || id.items.size() != 5 || id.items[0]->kind != Value::Kind::String ||
            id.items[0]->text != "storage")
            fail("a persistent id that is not torch.save's ('storage', type, key, location, size)");
        const Value& type = *id.items[1];
        const Value& key = *id.items[2];
        const Value& numel = *id.items[4];
        ValueRef s = make(Value::Kind::Storage);
        bool known = false;
        for (const auto& t : kStorageTypes)
            if (type.kind == Value::Kind::Global && type.text == std::string("torch.") + t.name) {
                s->tensor.dtype = t.dtype;
                known = true;
            }
        if (!known)
            fail("storage type " + (type.kind == Value::Kind::Global ? type.text : std::string(kindName(type.kind))) +
                 " is not supported");
        if (key.kind != Value::Kind::String || key.text.empty() || key.text.size() > 64 ||
            key.text.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") !=
                std::string::npos)
            fail("a storage key that is not a plain record name");
        if (numel.kind != Value::Kind::Int || numel.integer < 0) fail("a storage with a negative or missing size");
        s->tensor.storageKey = key.text;
        s->tensor.storageNumel = numel.integer;
        return s;
    }

    std::vector<int64_t> intTuple(const Value& v, const char* what) {
        if (v.kind != Value::Kind::Tuple) fail(std::string("a tensor's ") + what + " is " + kindName(v.kind) + ", not a tuple");
        std::vector<int64_t> out;
        for (const ValueRef& item : v.items) {
            if (item->kind != Value::Kind::Int || item->integer < 0)
                fail(std::string("a tensor's ") + what + " holds something other than a non-negative integer");
            out.push_back(item->integer);
        }
        return out;
    }

    ValueRef call(const Value& callable, const ValueRef& argsRef) {
        if (callable.kind != Value::Kind::Global) fail(std::string("REDUCE calls ") + kindName(callable.kind));
        if (argsRef->kind != Value::Kind::Tuple) fail("REDUCE without an argument tuple");
        argsRef->sealed = true;
        const std::vector<ValueRef>& args = argsRef->items;
        const std::string& f = callable.text;
        if (f == "collections.OrderedDict") {
            if (!args.empty()) fail("OrderedDict called with arguments");
            return make(Value::Kind::Dict);
        }
        if (f == "torch._utils._rebuild_tensor_v2" || f == "torch._utils._rebuild_tensor") {
            // (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
            if (args.size() < 4 || args.size() > 7) fail(f + " with " + std::to_string(args.size()) + " arguments");
            if (args[0]->kind != Value::Kind::Storage) fail(f + " without a storage");
            if (args[1]->kind != Value::Kind::Int || args[1]->integer < 0) fail("a tensor with a negative storage offset");
            ValueRef t = make(Value::Kind::Tensor);
            t->tensor = args[0]->tensor;
            t->tensor.storageOffset = args[1]->integer;
            t->tensor.sizes = intTuple(*args[2], "size");
            t->tensor.strides = intTuple(*args[3], "stride");
            if (t->tensor.sizes.size() != t->tensor.strides.size()) fail("a tensor whose size and stride differ in length");
            if (t->tensor.sizes.size() > 64) fail("a tensor with more than 64 dimensions");
            return t;
        }
        if (f == "torch.jit._pickle.restore_type_tag") {
            // libtorch's own pickle_save wraps dicts and lists in it to carry their static type: value unchanged.
            if (args.size() != 2 || args[1]->kind != Value::Kind::String) fail(f + " without (value, type)");
            return args[0];
        }
        if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") {
            if (args.size() < 2 || args[0]->kind != Value::Kind::Tensor) fail(f + " without a tensor");
            return args[0];
        }
        fail("the pickle calls " + f.substr(0, 100) +
             ", which a state dict never does; refused (only tensors and dicts are read from .bin files)");
    }

    const unsigned char* p_;
    uint64_t size_;
    uint64_t at_ = 0;
    std::string source_;
    std::vector<ValueRef> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint32_t, ValueRef> memo_;
};

}  // namespace

std::vector<TorchStateDictEntry> readTorchStateDictPickle(const unsigned char* bytes, uint64_t size,
                                                           const std::string& source) {
    ValueRef root = Interpreter(bytes, size, source).run();
    if (root->kind != Value::Kind::Dict)
        throw Error(source + ": the archive holds " + kindName(root->kind) + ", not a state dict (a dict of tensors)");
    std::vector<TorchStateDictEntry> out;
    for (const auto& [key, value] : root->entries) {
        if (key->kind != Value::Kind::String) throw Error(source + ": a state-dict key is not a string");
        if (value->kind != Value::Kind::Tensor) continue;  // e.g. _metadata or non-tensor extras
        out.push_back({key->text, value->tensor});
    }
    return out;
}

}  // namespace ssmlens
