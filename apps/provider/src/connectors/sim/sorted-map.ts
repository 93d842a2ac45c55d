interface AvlNode<V> {
  key: number;
  value: V;
  left: AvlNode<V> | null;
  right: AvlNode<V> | null;
  height: number;
}

function height<V>(node: AvlNode<V> | null): number {
  return node === null ? 0 : node.height;
}

function update<V>(node: AvlNode<V>): void {
  const l = height(node.left);
  const r = height(node.right);
  node.height = (l > r ? l : r) + 1;
}

function rotateRight<V>(node: AvlNode<V>): AvlNode<V> {
  const pivot = node.left as AvlNode<V>;
  node.left = pivot.right;
  pivot.right = node;
  update(node);
  update(pivot);
  return pivot;
}

function rotateLeft<V>(node: AvlNode<V>): AvlNode<V> {
  const pivot = node.right as AvlNode<V>;
  node.right = pivot.left;
  pivot.left = node;
  update(node);
  update(pivot);
  return pivot;
}

function balance<V>(node: AvlNode<V>): AvlNode<V> {
  update(node);
  const factor = height(node.left) - height(node.right);
  if (factor > 1) {
    const left = node.left as AvlNode<V>;
    if (height(left.left) < height(left.right)) node.left = rotateLeft(left);
    return rotateRight(node);
  }
  if (factor < -1) {
    const right = node.right as AvlNode<V>;
    if (height(right.right) < height(right.left)) node.right = rotateRight(right);
    return rotateLeft(node);
  }
  return node;
}

function removeMin<V>(node: AvlNode<V>): AvlNode<V> | null {
  if (node.left === null) return node.right;
  node.left = removeMin(node.left);
  return balance(node);
}

/**
 * An AVL tree keyed by integers (prices in ticks): O(log n) insert, delete and best-key lookup,
 * so the resting-order index costs the same with a hundred price levels or a hundred thousand.
 */
export class SortedNumberMap<V> {
  private root: AvlNode<V> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  set(key: number, value: V): void {
    this.root = this.insert(this.root, key, value);
  }

  delete(key: number): boolean {
    const before = this.count;
    this.root = this.remove(this.root, key);
    return this.count < before;
  }

  min(): V | undefined {
    let node = this.root;
    if (node === null) return undefined;
    while (node.left !== null) node = node.left;
    return node.value;
  }

  max(): V | undefined {
    let node = this.root;
    if (node === null) return undefined;
    while (node.right !== null) node = node.right;
    return node.value;
  }

  /** Ascending keys; for tests and snapshots, not for hot paths. */
  entries(): [number, V][] {
    const out: [number, V][] = [];
    const walk = (node: AvlNode<V> | null): void => {
      if (node === null) return;
      walk(node.left);
      out.push([node.key, node.value]);
      walk(node.right);
    };
    walk(this.root);
    return out;
  }

  /** Tree height, exposed so a test can prove the tree stays balanced. */
  depth(): number {
    return height(this.root);
  }

  private insert(node: AvlNode<V> | null, key: number, value: V): AvlNode<V> {
    if (node === null) {
      this.count++;
      return { key, value, left: null, right: null, height: 1 };
    }
    if (key < node.key) node.left = this.insert(node.left, key, value);
    else if (key > node.key) node.right = this.insert(node.right, key, value);
    else {
      node.value = value;
      return node;
    }
    return balance(node);
  }

  private remove(node: AvlNode<V> | null, key: number): AvlNode<V> | null {
    if (node === null) return null;
    if (key < node.key) node.left = this.remove(node.left, key);
    else if (key > node.key) node.right = this.remove(node.right, key);
    else {
      this.count--;
      const { left, right } = node;
      if (left === null) return right;
      if (right === null) return left;
      let successor = right;
      while (successor.left !== null) successor = successor.left;
      successor.right = removeMin(right);
      successor.left = left;
      return balance(successor);
    }
    return balance(node);
  }
}
